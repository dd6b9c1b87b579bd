ALTER TABLE "processes" ADD COLUMN "final_state" jsonb;--> statement-breakpoint
ALTER TABLE "processes" ADD COLUMN "checkpoints_pruned_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "processes_prunable_idx" ON "processes" USING btree ("completed_at") WHERE checkpoints_pruned_at is null and status in ('APPROVED', 'REJECTED', 'CANCELLED');
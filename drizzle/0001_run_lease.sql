DROP INDEX "processes_running_idx";--> statement-breakpoint
ALTER TABLE "processes" ADD COLUMN "run_lease_until" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "processes_running_lease_idx" ON "processes" USING btree ("run_lease_until") WHERE status = 'RUNNING';
CREATE TABLE "decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"task_id" uuid NOT NULL,
	"process_id" uuid NOT NULL,
	"decision" text NOT NULL,
	"comment" text,
	"decided_by" text NOT NULL,
	"decided_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_decision_check" CHECK (decision in ('APPROVE', 'REJECT'))
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"user_id" text NOT NULL,
	"operation" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"process_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_operation_key_pk" PRIMARY KEY("user_id","operation","key")
);
--> statement-breakpoint
CREATE TABLE "process_events" (
	"id" bigint GENERATED ALWAYS AS IDENTITY (sequence name "process_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"process_id" uuid NOT NULL,
	"sequence" integer NOT NULL,
	"type" text NOT NULL,
	"task_id" uuid,
	"actor" text,
	"process_status" text NOT NULL,
	"process_version" integer NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "process_events_process_id_sequence_pk" PRIMARY KEY("process_id","sequence"),
	CONSTRAINT "process_events_id_unique" UNIQUE("id"),
	CONSTRAINT "process_events_type_check" CHECK (type in ('STARTED', 'TASK_CREATED', 'DECIDED', 'COMPLETED', 'FAILED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "processes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workflow" text NOT NULL,
	"status" text NOT NULL,
	"initiator" text NOT NULL,
	"approver" text NOT NULL,
	"amount" numeric NOT NULL,
	"currency" text NOT NULL,
	"description" text NOT NULL,
	"current_node" text,
	"version" integer DEFAULT 1 NOT NULL,
	"last_sequence" integer DEFAULT 0 NOT NULL,
	"failure_message" text,
	"failure_node" text,
	"failed_at" timestamp (3) with time zone,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "processes_status_check" CHECK (status in ('RUNNING', 'PENDING_REVIEW', 'APPROVED', 'REJECTED', 'FAILED', 'CANCELLED')),
	CONSTRAINT "processes_amount_positive" CHECK ("processes"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"process_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'OPEN' NOT NULL,
	"assignee" text,
	"candidate_groups" text[] DEFAULT '{}'::text[] NOT NULL,
	"allowed_decisions" text[] NOT NULL,
	"interrupt_id" text NOT NULL,
	"node" text NOT NULL,
	"title" text NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "tasks_status_check" CHECK (status in ('OPEN', 'COMPLETED', 'CANCELLED'))
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_process_id_processes_id_fk" FOREIGN KEY ("process_id") REFERENCES "public"."processes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "process_events" ADD CONSTRAINT "process_events_process_id_processes_id_fk" FOREIGN KEY ("process_id") REFERENCES "public"."processes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tasks" ADD CONSTRAINT "tasks_process_id_processes_id_fk" FOREIGN KEY ("process_id") REFERENCES "public"."processes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "decisions_task_uq" ON "decisions" USING btree ("task_id");--> statement-breakpoint
CREATE INDEX "decisions_process_idx" ON "decisions" USING btree ("process_id","decided_at");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "processes_initiator_created_idx" ON "processes" USING btree ("initiator","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "processes_created_idx" ON "processes" USING btree ("created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "processes_running_idx" ON "processes" USING btree ("updated_at") WHERE status = 'RUNNING';--> statement-breakpoint
CREATE UNIQUE INDEX "tasks_process_interrupt_uq" ON "tasks" USING btree ("process_id","interrupt_id");--> statement-breakpoint
CREATE INDEX "tasks_process_idx" ON "tasks" USING btree ("process_id","created_at");--> statement-breakpoint
CREATE INDEX "tasks_open_assignee_idx" ON "tasks" USING btree ("assignee","created_at","id") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "tasks_open_groups_idx" ON "tasks" USING gin ("candidate_groups") WHERE status = 'OPEN';--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" USING btree ("assignee");
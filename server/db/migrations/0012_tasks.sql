CREATE TABLE "tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid REFERENCES "public"."meetings"("id") ON DELETE set null,
	"council_id" uuid NOT NULL REFERENCES "public"."councils"("id") ON DELETE cascade,
	"agenda_item_id" uuid REFERENCES "public"."agenda_items"("id") ON DELETE set null,
	"title" text NOT NULL,
	"detail" text DEFAULT '' NOT NULL,
	"assignee_id" uuid NOT NULL REFERENCES "public"."users"("id") ON DELETE restrict,
	"due_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"created_by" uuid REFERENCES "public"."users"("id") ON DELETE set null,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "tasks_council_due_idx" ON "tasks" ("council_id","due_date");
--> statement-breakpoint
CREATE INDEX "tasks_meeting_idx" ON "tasks" ("meeting_id");
--> statement-breakpoint
CREATE INDEX "tasks_assignee_idx" ON "tasks" ("assignee_id","status");
--> statement-breakpoint
CREATE TABLE "task_reminders" (
	"task_id" uuid NOT NULL REFERENCES "public"."tasks"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "task_reminders_pk" PRIMARY KEY("task_id","kind")
);

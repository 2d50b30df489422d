ALTER TABLE "meetings" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
UPDATE "meetings" SET "started_at" = (SELECT min(a."at") FROM "audit_log" a WHERE a."meeting_id" = "meetings"."id" AND (a."action" = 'meeting.start' OR (a."action" = 'meeting.status_changed' AND a."data" LIKE '%"to":"in_progress"%'))) WHERE "status" IN ('in_progress', 'closed');--> statement-breakpoint
CREATE TABLE "speeches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"agenda_item_id" uuid,
	"user_id" uuid NOT NULL,
	"request_id" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"summary" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "speeches" ADD CONSTRAINT "speeches_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speeches" ADD CONSTRAINT "speeches_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speeches" ADD CONSTRAINT "speeches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speeches" ADD CONSTRAINT "speeches_request_id_speaker_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."speaker_requests"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speeches" ADD CONSTRAINT "speeches_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "speeches_meeting_idx" ON "speeches" USING btree ("meeting_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "speeches_request_uq" ON "speeches" USING btree ("request_id");--> statement-breakpoint
CREATE TABLE "agenda_conclusions" (
	"agenda_item_id" uuid PRIMARY KEY NOT NULL,
	"meeting_id" uuid NOT NULL,
	"text" text NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agenda_conclusions" ADD CONSTRAINT "agenda_conclusions_agenda_item_id_agenda_items_id_fk" FOREIGN KEY ("agenda_item_id") REFERENCES "public"."agenda_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_conclusions" ADD CONSTRAINT "agenda_conclusions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agenda_conclusions" ADD CONSTRAINT "agenda_conclusions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agenda_conclusions_meeting_idx" ON "agenda_conclusions" USING btree ("meeting_id");--> statement-breakpoint
CREATE TABLE "minutes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"lang" text NOT NULL,
	"slots" text DEFAULT '[]' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "minutes_document_id_unique" UNIQUE("document_id"),
	CONSTRAINT "minutes_version_ck" CHECK ("version" >= 1)
);
--> statement-breakpoint
ALTER TABLE "minutes" ADD CONSTRAINT "minutes_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minutes" ADD CONSTRAINT "minutes_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "minutes" ADD CONSTRAINT "minutes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "minutes_meeting_idx" ON "minutes" USING btree ("meeting_id","lang","version");--> statement-breakpoint
INSERT INTO "minutes" ("meeting_id", "document_id", "version", "lang", "slots", "created_by", "created_at")
SELECT d."meeting_id", d."id", row_number() OVER (PARTITION BY d."meeting_id", a."data"::jsonb->>'lang' ORDER BY a."seq")::int, a."data"::jsonb->>'lang', coalesce(a."data"::jsonb->'slots', '[]'::jsonb)::text, a."actor_id", a."at"
FROM "audit_log" a JOIN "documents" d ON d."id" = (a."data"::jsonb->>'documentId')::uuid
WHERE a."action" = 'minutes.generated';

CREATE TABLE "conclusion_notices" (
	"meeting_id" uuid PRIMARY KEY NOT NULL,
	"document_id" uuid NOT NULL,
	"lang" text DEFAULT 'vi' NOT NULL,
	"slots" text DEFAULT '[]' NOT NULL,
	"issued_by" uuid,
	"issued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"sent_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "conclusion_notices_document_id_unique" UNIQUE("document_id")
);
--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD CONSTRAINT "conclusion_notices_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD CONSTRAINT "conclusion_notices_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD CONSTRAINT "conclusion_notices_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;

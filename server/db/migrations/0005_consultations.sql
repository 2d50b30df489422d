ALTER TABLE "users" ADD COLUMN "email" text;
--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_invitations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL REFERENCES "public"."meetings"("id") ON DELETE cascade,
	"document_id" uuid REFERENCES "public"."documents"("id") ON DELETE set null,
	"sent_by" uuid REFERENCES "public"."users"("id") ON DELETE set null,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"working_days" integer NOT NULL,
	"short_notice" boolean NOT NULL,
	"extraordinary" boolean NOT NULL,
	"signed" boolean NOT NULL
);
--> statement-breakpoint
CREATE INDEX "meeting_invitations_meeting_idx" ON "meeting_invitations" ("meeting_id");
--> statement-breakpoint
CREATE TABLE "invitation_deliveries" (
	"invitation_id" uuid NOT NULL REFERENCES "public"."meeting_invitations"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "public"."users"("id") ON DELETE cascade,
	"email" text,
	"status" text NOT NULL,
	"error" text,
	CONSTRAINT "invitation_deliveries_pk" PRIMARY KEY("invitation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"question" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"deadline" timestamp with time zone NOT NULL,
	"require_signature" boolean DEFAULT false NOT NULL,
	"created_by" uuid REFERENCES "public"."users"("id") ON DELETE set null,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"closed_by" uuid REFERENCES "public"."users"("id") ON DELETE set null,
	"report_sha256" text REFERENCES "public"."blobs"("sha256"),
	"report_size" bigint
);
--> statement-breakpoint
CREATE INDEX "consultations_status_deadline_idx" ON "consultations" ("status","deadline");
--> statement-breakpoint
CREATE TABLE "consultation_documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"consultation_id" uuid NOT NULL REFERENCES "public"."consultations"("id") ON DELETE cascade,
	"name" text NOT NULL,
	"sha256" text NOT NULL REFERENCES "public"."blobs"("sha256"),
	"size" bigint NOT NULL,
	"pages" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "consultation_documents_idx" ON "consultation_documents" ("consultation_id");
--> statement-breakpoint
CREATE TABLE "consultation_members" (
	"consultation_id" uuid NOT NULL REFERENCES "public"."consultations"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "public"."users"("id") ON DELETE cascade,
	CONSTRAINT "consultation_members_pk" PRIMARY KEY("consultation_id","user_id")
);
--> statement-breakpoint
CREATE INDEX "consultation_members_user_idx" ON "consultation_members" ("user_id");
--> statement-breakpoint
CREATE TABLE "consultation_answers" (
	"consultation_id" uuid NOT NULL REFERENCES "public"."consultations"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "public"."users"("id") ON DELETE cascade,
	"choice" text NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"signature_cms" text,
	"signer_subject" text,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultation_answers_pk" PRIMARY KEY("consultation_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "consultation_reminders" (
	"consultation_id" uuid NOT NULL REFERENCES "public"."consultations"("id") ON DELETE cascade,
	"user_id" uuid NOT NULL REFERENCES "public"."users"("id") ON DELETE cascade,
	"kind" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consultation_reminders_pk" PRIMARY KEY("consultation_id","user_id","kind")
);

CREATE TABLE "conclusion_notice_deliveries" (
	"document_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"email" text NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"accepted" boolean NOT NULL,
	"error" text,
	"attempts" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "conclusion_notice_deliveries_document_id_user_id_pk" PRIMARY KEY("document_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "conclusion_notice_deliveries" ADD CONSTRAINT "conclusion_notice_deliveries_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conclusion_notice_deliveries" ADD CONSTRAINT "conclusion_notice_deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;

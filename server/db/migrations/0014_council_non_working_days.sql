CREATE TABLE "council_non_working_days" (
	"council_id" uuid NOT NULL,
	"day" date NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "council_non_working_days_council_id_day_pk" PRIMARY KEY("council_id","day")
);
--> statement-breakpoint
ALTER TABLE "council_non_working_days" ADD CONSTRAINT "council_non_working_days_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "council_non_working_days" ADD CONSTRAINT "council_non_working_days_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;

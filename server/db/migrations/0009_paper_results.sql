ALTER TABLE "polls" ADD COLUMN "counted_on_paper" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE TABLE "paper_results" (
	"poll_id" uuid PRIMARY KEY NOT NULL,
	"counts" text NOT NULL,
	"issued" integer NOT NULL,
	"returned" integer NOT NULL,
	"invalid" integer NOT NULL,
	"note" text,
	"entered_by" uuid,
	"entered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "paper_results_figures_ck" CHECK ("invalid" >= 0 AND "invalid" <= "returned" AND "returned" <= "issued")
);
--> statement-breakpoint
ALTER TABLE "paper_results" ADD CONSTRAINT "paper_results_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paper_results" ADD CONSTRAINT "paper_results_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;

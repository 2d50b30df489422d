CREATE TABLE "secret_tallies" (
	"poll_id" uuid NOT NULL,
	"option_id" text NOT NULL,
	"votes" integer NOT NULL,
	CONSTRAINT "secret_tallies_poll_id_option_id_pk" PRIMARY KEY("poll_id","option_id")
);
--> statement-breakpoint
ALTER TABLE "secret_tallies" ADD CONSTRAINT "secret_tallies_poll_id_polls_id_fk" FOREIGN KEY ("poll_id") REFERENCES "public"."polls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
INSERT INTO "secret_tallies" ("poll_id", "option_id", "votes")
SELECT b."poll_id", o.opt, count(*)::int
FROM "secret_ballots" b CROSS JOIN LATERAL jsonb_array_elements_text(b."choice"::jsonb) AS o(opt)
GROUP BY b."poll_id", o.opt;--> statement-breakpoint
INSERT INTO "secret_tallies" ("poll_id", "option_id", "votes")
SELECT "poll_id", '#ballots', count(*)::int FROM "secret_ballots" GROUP BY "poll_id";--> statement-breakpoint
DROP TABLE "secret_ballots";

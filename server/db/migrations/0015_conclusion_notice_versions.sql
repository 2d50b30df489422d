ALTER TABLE "conclusion_notices" DROP CONSTRAINT "conclusion_notices_pkey";--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD COLUMN "id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD CONSTRAINT "conclusion_notices_pkey" PRIMARY KEY ("id");--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "conclusion_notices" ADD CONSTRAINT "conclusion_notices_version_ck" CHECK ("version" >= 1);--> statement-breakpoint
CREATE INDEX "conclusion_notices_meeting_idx" ON "conclusion_notices" USING btree ("meeting_id","version");

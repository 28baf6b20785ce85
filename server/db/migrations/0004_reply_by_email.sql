CREATE TABLE "inbound_emails" (
	"key" text PRIMARY KEY NOT NULL,
	"link_id" text NOT NULL,
	"thread_id" text NOT NULL,
	"received_at" bigint NOT NULL,
	"status" text NOT NULL,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "mail_threads" (
	"thread_id" text PRIMARY KEY NOT NULL,
	"link_id" text NOT NULL,
	"kind" text NOT NULL,
	"target_id" text NOT NULL,
	"pending" integer DEFAULT 0 NOT NULL,
	"pending_items" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_pending_at" bigint,
	"due_at" bigint,
	"lease_until" bigint,
	"root_message_id" text,
	"last_message_id" text,
	"emails" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE INDEX "inbound_emails_link" ON "inbound_emails" USING btree ("link_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mail_threads_target" ON "mail_threads" USING btree ("link_id","kind","target_id");--> statement-breakpoint
CREATE INDEX "mail_threads_due" ON "mail_threads" USING btree ("due_at") WHERE pending > 0;
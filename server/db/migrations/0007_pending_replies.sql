ALTER TABLE "inbound_emails" ADD COLUMN "origin" jsonb;--> statement-breakpoint
CREATE INDEX "inbound_emails_pending" ON "inbound_emails" USING btree ("received_at") WHERE status = 'pending';
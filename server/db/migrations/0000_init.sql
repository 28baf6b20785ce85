CREATE TABLE "authorizations" (
	"authorization_id" text PRIMARY KEY NOT NULL,
	"advertiser_id" text NOT NULL,
	"requested_by" text,
	"username" text NOT NULL,
	"status" text NOT NULL,
	"requested" jsonb NOT NULL,
	"granted" jsonb NOT NULL,
	"requested_at" bigint NOT NULL,
	"decided_at" bigint,
	"expires_at" bigint,
	"invite_url" text
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"link_id" text NOT NULL,
	"gmail" text NOT NULL,
	"at" bigint NOT NULL,
	"summary" text NOT NULL,
	"ref" jsonb NOT NULL,
	CONSTRAINT "events_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "idempotency" (
	"scope_hash" text PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"status" integer NOT NULL,
	"body" text NOT NULL,
	"headers" jsonb NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "link_starts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "links" (
	"link_id" text PRIMARY KEY NOT NULL,
	"gmail" text NOT NULL,
	"status" text NOT NULL,
	"open_id" text NOT NULL,
	"username" text NOT NULL,
	"profile" jsonb NOT NULL,
	"scopes" jsonb NOT NULL,
	"access_token_sealed" text NOT NULL,
	"access_expires_at" bigint NOT NULL,
	"refresh_token_sealed" text,
	"refresh_expires_at" bigint,
	"linked_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oauth_attempts" (
	"state" text PRIMARY KEY NOT NULL,
	"gmail" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"code_verifier" text,
	"expires_at" bigint NOT NULL,
	"used" boolean NOT NULL,
	"callback_code_sealed" text,
	"callback_error" text
);
--> statement-breakpoint
CREATE TABLE "sends" (
	"send_id" text PRIMARY KEY NOT NULL,
	"link_id" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"target_id" text NOT NULL,
	"video_id" text,
	"text" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"lease_until" bigint,
	"result_id" text,
	"error" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"gmail" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"revoked" boolean NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tt_comments" (
	"open_id" text NOT NULL,
	"comment_id" text NOT NULL,
	"video_id" text NOT NULL,
	"parent_comment_id" text,
	"username" text NOT NULL,
	"display_name" text NOT NULL,
	"text" text NOT NULL,
	"created_at" bigint NOT NULL,
	"status" text NOT NULL,
	CONSTRAINT "tt_comments_open_id_comment_id_pk" PRIMARY KEY("open_id","comment_id")
);
--> statement-breakpoint
CREATE TABLE "tt_conversations" (
	"open_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"peer_id" text NOT NULL,
	"peer_username" text NOT NULL,
	"peer_display_name" text NOT NULL,
	CONSTRAINT "tt_conversations_open_id_conversation_id_pk" PRIMARY KEY("open_id","conversation_id")
);
--> statement-breakpoint
CREATE TABLE "tt_messages" (
	"open_id" text NOT NULL,
	"message_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"direction" text NOT NULL,
	"text" text NOT NULL,
	"sent_at" bigint NOT NULL,
	CONSTRAINT "tt_messages_open_id_message_id_pk" PRIMARY KEY("open_id","message_id")
);
--> statement-breakpoint
CREATE TABLE "unread" (
	"open_id" text NOT NULL,
	"kind" text NOT NULL,
	"ref" text NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "unread_open_id_kind_ref_pk" PRIMARY KEY("open_id","kind","ref")
);
--> statement-breakpoint
CREATE TABLE "verifications" (
	"verification_id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"code" text NOT NULL,
	"status" text NOT NULL,
	"expires_at" bigint NOT NULL,
	"resend_after" bigint NOT NULL,
	"attempts_left" integer NOT NULL,
	"locked_until" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_inbox" (
	"key" text PRIMARY KEY NOT NULL,
	"event" text NOT NULL,
	"open_id" text NOT NULL,
	"content" jsonb NOT NULL,
	"received_at" bigint NOT NULL,
	"lease_until" bigint,
	"processed_at" bigint
);
--> statement-breakpoint
CREATE INDEX "authorizations_advertiser" ON "authorizations" USING btree ("advertiser_id");--> statement-breakpoint
CREATE INDEX "authorizations_username" ON "authorizations" USING btree ("username");--> statement-breakpoint
CREATE INDEX "events_gmail_seq" ON "events" USING btree ("gmail","seq");--> statement-breakpoint
CREATE INDEX "idempotency_at" ON "idempotency" USING btree ("at");--> statement-breakpoint
CREATE INDEX "link_starts_email_at" ON "link_starts" USING btree ("email","at");--> statement-breakpoint
CREATE INDEX "links_gmail" ON "links" USING btree ("gmail");--> statement-breakpoint
CREATE INDEX "links_open_id" ON "links" USING btree ("open_id");--> statement-breakpoint
CREATE INDEX "links_username" ON "links" USING btree ("username");--> statement-breakpoint
CREATE UNIQUE INDEX "sends_link_key" ON "sends" USING btree ("link_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "sends_claimable" ON "sends" USING btree ("status","lease_until") WHERE status in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "sessions_gmail" ON "sessions" USING btree ("gmail");--> statement-breakpoint
CREATE INDEX "tt_comments_username" ON "tt_comments" USING btree ("open_id","username");--> statement-breakpoint
CREATE INDEX "tt_conversations_peer" ON "tt_conversations" USING btree ("open_id","peer_username");--> statement-breakpoint
CREATE INDEX "tt_messages_conversation" ON "tt_messages" USING btree ("open_id","conversation_id","sent_at");--> statement-breakpoint
CREATE INDEX "verifications_email" ON "verifications" USING btree ("email");--> statement-breakpoint
CREATE INDEX "webhook_inbox_pending" ON "webhook_inbox" USING btree ("received_at") WHERE processed_at is null;
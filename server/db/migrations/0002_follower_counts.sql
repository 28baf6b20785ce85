CREATE TABLE "tt_stats" (
	"open_id" text PRIMARY KEY NOT NULL,
	"followers_count" integer NOT NULL,
	"checked_at" bigint NOT NULL
);

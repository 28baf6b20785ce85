-- UNLOGGED by hand (drizzle-kit does not model it): rate-limit counters need no crash safety (server/rate-counters.ts).
CREATE UNLOGGED TABLE "rate_buckets" (
	"key" text PRIMARY KEY NOT NULL,
	"tat" double precision NOT NULL
);

-- Service tokens expire: the admin chooses the validity at creation (90 days by default, at most a year).
-- Tokens issued before this migration get 90 days from the moment it runs, not from their creation: an old token
-- expiring at once would make the services using it fail closed (stop top-ups) before anyone could rotate it.
ALTER TABLE "service_token" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
UPDATE "service_token" SET "expires_at" = now() + interval '90 days';
ALTER TABLE "service_token" ALTER COLUMN "expires_at" SET NOT NULL;

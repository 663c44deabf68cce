-- A customer's wrong sign-in codes since the last right one, with no window: the account's 10 failures in 15 minutes
-- refill, so someone holding the password (credential stuffing) could guess authenticator codes for ever. At the limit
-- the password is marked must-change (docs/decisions/089-security-audit-round-six.md). Table-level DML grants of the
-- runtime role (app/db/runtime-grants.server.ts) cover the new column.
ALTER TABLE "customer_totp_credential" ADD COLUMN "sign_in_code_failures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "customer_totp_credential" ADD CONSTRAINT "customer_totp_credential_sign_in_code_failures_check"
  CHECK ("sign_in_code_failures" >= 0);

-- Wrong sign-in codes since the last accepted one, counted on the member across every source and with no window: the
-- windowed blocks of ADR 018 refill every 30 minutes, so without this someone holding the password could guess codes
-- for ever (docs/decisions/089-security-audit-round-six.md). The runtime role writes it like the rest of staff_user
-- (app/db/runtime-grants.server.ts grants DML per table, so a new column needs no grant of its own).
ALTER TABLE "staff_user" ADD COLUMN "sign_in_code_failures" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_sign_in_code_failures_check" CHECK ("sign_in_code_failures" >= 0);

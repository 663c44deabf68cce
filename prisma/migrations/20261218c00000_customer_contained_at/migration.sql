-- When the account was last contained (frozen, or marked compromised, from active): reopening it (unfreeze, restore)
-- needs a forced reset whose link was sent after this moment, so whoever held the account when it was contained
-- cannot be let back in on a caller's word (docs/decisions/122-security-audit-round-ten.md). Accounts contained before
-- this column existed count as contained now: a reset from before this release does not reopen them.
ALTER TABLE "customer" ADD COLUMN "contained_at" TIMESTAMPTZ(3);

UPDATE "customer" SET "contained_at" = CURRENT_TIMESTAMP WHERE "status" IN ('FROZEN', 'COMPROMISED');

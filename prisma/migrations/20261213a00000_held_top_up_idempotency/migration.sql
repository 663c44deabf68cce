-- A top-up held for review kept no idempotency key, so a retry of it (the app's, or an attacker's on a victim's
-- session) queued another review item for the same top-up, and approving both charged the card twice. The held item
-- now carries the top-up's stored key, unique like the ledger's (docs/decisions/084-security-audit-round-five.md).
ALTER TABLE "risk_review" ADD COLUMN "idempotency_key" TEXT;

CREATE UNIQUE INDEX "risk_review_idempotency_key_key" ON "risk_review"("idempotency_key");

-- The incident dashboard's change probe asks for the newest purchase (MAX(occurred_at) WHERE kind = 'PURCHASE') on
-- every tick; with this index that is one index descent instead of a walk back past every newer reversal.
CREATE INDEX "ledger_transaction_kind_occurred_at_idx" ON "ledger_transaction"("kind", "occurred_at");

-- The backtest reads each recorded stream in (time, id) order a page at a time; without these indexes every page
-- sorts the whole rest of the table.
CREATE INDEX "contact_change_changed_at_id_idx" ON "contact_change"("changed_at", "id");

CREATE INDEX "login_event_occurred_at_id_idx" ON "login_event"("occurred_at", "id");

CREATE INDEX "purchase_occurred_at_transaction_id_idx" ON "purchase"("occurred_at", "transaction_id");

-- Top-ups only (Prisma cannot express a partial index; the schema names it in a comment).
CREATE INDEX "ledger_transaction_top_up_keyset_idx" ON "ledger_transaction"("occurred_at", "id") WHERE "kind" = 'TOP_UP';

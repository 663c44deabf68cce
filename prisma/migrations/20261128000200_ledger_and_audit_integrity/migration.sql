-- Integrity rules the database enforces itself, so that no code path (and no forgetful engineer) can skip them.

-- 1. Ledger and audit rows are never updated or deleted. Corrections are new rows.
CREATE FUNCTION firebreak_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON "ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

CREATE TRIGGER ledger_transaction_append_only BEFORE UPDATE OR DELETE ON "ledger_transaction"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER ledger_transaction_no_truncate BEFORE TRUNCATE ON "ledger_transaction"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- 2. Amounts: integer yen, strictly positive on transactions, never zero on entries.
ALTER TABLE "ledger_transaction" ADD CONSTRAINT ledger_transaction_amount_positive CHECK (amount > 0);
ALTER TABLE "ledger_entry" ADD CONSTRAINT ledger_entry_amount_nonzero CHECK (amount <> 0);
ALTER TABLE "purchase" ADD CONSTRAINT purchase_total_positive CHECK (total > 0);
ALTER TABLE "purchase_item" ADD CONSTRAINT purchase_item_positive CHECK (quantity > 0 AND unit_price >= 0);

-- 3. Cached balances move in the same statement as the entry that moves them.
CREATE FUNCTION firebreak_apply_entry_to_balance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "ledger_account" SET balance = balance + NEW.amount WHERE id = NEW.account_id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_entry_moves_balance AFTER INSERT ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION firebreak_apply_entry_to_balance();

-- A customer's wallet can never be spent below zero.
ALTER TABLE "ledger_account" ADD CONSTRAINT wallet_never_negative
  CHECK (kind <> 'CUSTOMER_WALLET' OR balance >= 0);

-- 4. Double entry: every transaction's entries sum to zero, checked at commit (entries are inserted one by one).
CREATE FUNCTION firebreak_check_transaction_balances() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  total bigint;
  entry_count int;
BEGIN
  SELECT COALESCE(SUM(amount), 0), COUNT(*) INTO total, entry_count
    FROM "ledger_entry" WHERE transaction_id = NEW.transaction_id;
  IF total <> 0 OR entry_count < 2 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (sum %, % entries)', NEW.transaction_id, total, entry_count
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER ledger_entries_sum_to_zero AFTER INSERT ON "ledger_entry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION firebreak_check_transaction_balances();

-- 5. A reversal never takes back more than the original moved, under any concurrency: the check locks the original.
CREATE FUNCTION firebreak_check_reversal_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  original_amount int;
  original_kind "LedgerTransactionKind";
  already bigint;
BEGIN
  IF NEW.reverses_id IS NULL THEN
    IF NEW.kind = 'REVERSAL' THEN
      RAISE EXCEPTION 'a reversal must name the transaction it reverses' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF NEW.kind <> 'REVERSAL' THEN
    RAISE EXCEPTION 'only a reversal may reference another transaction' USING ERRCODE = 'check_violation';
  END IF;
  -- Serialise reversals of the same original: the row lock is held until this transaction ends.
  SELECT amount, kind INTO original_amount, original_kind
    FROM "ledger_transaction" WHERE id = NEW.reverses_id FOR UPDATE;
  IF original_kind = 'REVERSAL' THEN
    RAISE EXCEPTION 'a reversal cannot be reversed' USING ERRCODE = 'check_violation';
  END IF;
  SELECT COALESCE(SUM(amount), 0) INTO already FROM "ledger_transaction" WHERE reverses_id = NEW.reverses_id;
  IF already + NEW.amount > original_amount THEN
    RAISE EXCEPTION 'reversal of % would exceed the original amount (% + % > %)',
      NEW.reverses_id, already, NEW.amount, original_amount USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_reversal_within_original BEFORE INSERT ON "ledger_transaction"
  FOR EACH ROW EXECUTE FUNCTION firebreak_check_reversal_total();

-- 6. The audit chain: sequence numbers are gapless because the spine assigns them under an advisory lock;
--    the database refuses a row that does not extend the chain by exactly one.
CREATE FUNCTION firebreak_check_audit_sequence() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  SELECT seq, hash INTO last_seq, last_hash FROM "audit_event" ORDER BY seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    IF NEW.seq <> 1 OR NEW.prev_hash <> repeat('0', 64) THEN
      RAISE EXCEPTION 'the first audit event must have seq 1 and the zero prev_hash' USING ERRCODE = 'check_violation';
    END IF;
  ELSIF NEW.seq <> last_seq + 1 OR NEW.prev_hash <> last_hash THEN
    RAISE EXCEPTION 'audit event % does not extend the chain (head is %)', NEW.seq, last_seq
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_event_extends_chain BEFORE INSERT ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION firebreak_check_audit_sequence();

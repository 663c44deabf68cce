-- Least privilege (docs/decisions/028-database-roles.md): the console and workers connect as a runtime role that owns
-- nothing and may not UPDATE ledger_account. Cached balances still move with every ledger entry, so the trigger that
-- moves them runs with its owner's rights. search_path is pinned so that a caller cannot redirect its UPDATE.
ALTER FUNCTION firebreak_apply_entry_to_balance() SECURITY DEFINER SET search_path = pg_catalog, public;

-- Nobody but the owner creates objects in the application schema (PostgreSQL 15 already defaults to this; older
-- servers granted CREATE to every role).
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- A ledger account starts at zero: the runtime role may insert accounts (new wallets, new stores) but not one that
-- already holds money. Only ledger entries move a balance after that.
CREATE FUNCTION firebreak_new_account_starts_at_zero() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.balance <> 0 THEN
    RAISE EXCEPTION 'permission denied: a new ledger account starts at balance 0 (got %)', NEW.balance
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_account_starts_at_zero BEFORE INSERT ON "ledger_account"
  FOR EACH ROW EXECUTE FUNCTION firebreak_new_account_starts_at_zero();

-- Issue 9: signed checkpoints of the audit chain, and the indexes the audit view's filters page by.
-- See docs/decisions/009-audit-checkpoints.md.

-- CreateTable
CREATE TABLE "audit_checkpoint" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT NOT NULL,
    "head_hash" TEXT NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "public_key_fingerprint" TEXT NOT NULL,
    "algorithm" TEXT NOT NULL DEFAULT 'Ed25519',
    "signature" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_checkpoint_seq_idx" ON "audit_checkpoint"("seq");

-- CreateIndex
CREATE INDEX "audit_event_actor_role_seq_idx" ON "audit_event"("actor_role", "seq");

-- CreateIndex
CREATE INDEX "audit_event_outcome_seq_idx" ON "audit_event"("outcome", "seq");

-- CreateIndex
CREATE INDEX "audit_event_target_id_seq_idx" ON "audit_event"("target_id", "seq");

-- Checkpoints are evidence: never updated or deleted, like the audit rows they vouch for.
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON "audit_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- A checkpoint names a row that exists with exactly that hash, and never goes back behind an earlier checkpoint.
-- (The signature is checked by the verifier against a key the database never sees.)
CREATE FUNCTION firebreak_check_audit_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  row_hash text;
  latest bigint;
BEGIN
  SELECT hash INTO row_hash FROM "audit_event" WHERE seq = NEW.seq;
  IF row_hash IS NULL OR row_hash <> NEW.head_hash THEN
    RAISE EXCEPTION 'audit checkpoint names seq % with a hash that is not in the chain', NEW.seq
      USING ERRCODE = 'check_violation';
  END IF;
  SELECT max(seq) INTO latest FROM "audit_checkpoint";
  IF latest IS NOT NULL AND NEW.seq < latest THEN
    RAISE EXCEPTION 'audit checkpoint at seq % would go back behind the checkpoint at seq %', NEW.seq, latest
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_checkpoint_names_chain_row BEFORE INSERT ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION firebreak_check_audit_checkpoint();

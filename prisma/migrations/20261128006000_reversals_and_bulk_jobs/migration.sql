-- Reversals, approvals, refund outbox and durable bulk jobs (issue 6). See docs/decisions/012-reversals.md.
-- Tables as Prisma generates them for the models in prisma/schema.prisma, then the rules the database enforces itself
-- and the reason codes (reference data).

-- CreateEnum
CREATE TYPE "ReversalRequestStatus" AS ENUM ('PROCESSING', 'PENDING_APPROVAL', 'COMPLETED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "RefundInstructionStatus" AS ENUM ('PENDING', 'SENT', 'CONFIRMED', 'FAILED');

-- CreateEnum
CREATE TYPE "BulkJobStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "BulkJobItemStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'SKIPPED', 'FAILED');

-- CreateTable
CREATE TABLE "reversal_reason" (
    "code" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "requires_note" BOOLEAN NOT NULL DEFAULT false,
    "sort_order" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "reversal_reason_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "reversal_request" (
    "id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "original_transaction_id" UUID NOT NULL,
    "amount" INTEGER NOT NULL,
    "reason_code" TEXT NOT NULL,
    "note" TEXT,
    "incident_id" UUID,
    "status" "ReversalRequestStatus" NOT NULL,
    "approval_rule" TEXT,
    "requested_by_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "reversal_transaction_id" UUID,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "reversal_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refund_instruction" (
    "id" UUID NOT NULL,
    "reversal_transaction_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "funding_source_id" UUID,
    "channel" "FundingKind" NOT NULL,
    "amount" INTEGER NOT NULL,
    "status" "RefundInstructionStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "processor_reference" TEXT,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refund_instruction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_job" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "status" "BulkJobStatus" NOT NULL DEFAULT 'QUEUED',
    "params" JSONB NOT NULL,
    "totals" JSONB NOT NULL,
    "report" JSONB,
    "incident_id" UUID,
    "created_by_id" UUID NOT NULL,
    "created_by_role" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "cancel_requested_at" TIMESTAMPTZ(3),
    "items_total" INTEGER NOT NULL,
    "items_succeeded" INTEGER NOT NULL DEFAULT 0,
    "items_skipped" INTEGER NOT NULL DEFAULT 0,
    "items_failed" INTEGER NOT NULL DEFAULT 0,
    "amount_done" BIGINT NOT NULL DEFAULT 0,
    "batches_committed" INTEGER NOT NULL DEFAULT 0,
    "claims" INTEGER NOT NULL DEFAULT 0,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "heartbeat_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "bulk_job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bulk_job_item" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "phase" INTEGER NOT NULL DEFAULT 0,
    "subject_id" UUID NOT NULL,
    "customer_id" UUID,
    "amount" INTEGER,
    "status" "BulkJobItemStatus" NOT NULL DEFAULT 'PENDING',
    "result_id" UUID,
    "result_amount" INTEGER,
    "error_code" TEXT,
    "error_message" TEXT,
    "processed_at" TIMESTAMPTZ(3),

    CONSTRAINT "bulk_job_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "reversal_request_idempotency_key_key" ON "reversal_request"("idempotency_key");

-- CreateIndex
CREATE UNIQUE INDEX "reversal_request_reversal_transaction_id_key" ON "reversal_request"("reversal_transaction_id");

-- CreateIndex
CREATE INDEX "reversal_request_status_requested_at_idx" ON "reversal_request"("status", "requested_at");

-- CreateIndex
CREATE INDEX "reversal_request_requested_by_id_requested_at_idx" ON "reversal_request"("requested_by_id", "requested_at");

-- CreateIndex
CREATE INDEX "reversal_request_original_transaction_id_idx" ON "reversal_request"("original_transaction_id");

-- CreateIndex
CREATE INDEX "reversal_request_customer_id_requested_at_idx" ON "reversal_request"("customer_id", "requested_at");

-- CreateIndex
CREATE UNIQUE INDEX "refund_instruction_reversal_transaction_id_key" ON "refund_instruction"("reversal_transaction_id");

-- CreateIndex
CREATE INDEX "refund_instruction_status_created_at_idx" ON "refund_instruction"("status", "created_at");

-- CreateIndex
CREATE INDEX "refund_instruction_customer_id_idx" ON "refund_instruction"("customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "bulk_job_idempotency_key_key" ON "bulk_job"("idempotency_key");

-- CreateIndex
CREATE INDEX "bulk_job_status_created_at_idx" ON "bulk_job"("status", "created_at");

-- CreateIndex
CREATE INDEX "bulk_job_kind_created_at_idx" ON "bulk_job"("kind", "created_at");

-- CreateIndex
CREATE INDEX "bulk_job_item_job_id_status_phase_seq_idx" ON "bulk_job_item"("job_id", "status", "phase", "seq");

-- CreateIndex
CREATE INDEX "bulk_job_item_job_id_customer_id_idx" ON "bulk_job_item"("job_id", "customer_id");

-- CreateIndex
CREATE UNIQUE INDEX "bulk_job_item_job_id_subject_id_key" ON "bulk_job_item"("job_id", "subject_id");

-- AddForeignKey
ALTER TABLE "reversal_request" ADD CONSTRAINT "reversal_request_reason_code_fkey" FOREIGN KEY ("reason_code") REFERENCES "reversal_reason"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reversal_request" ADD CONSTRAINT "reversal_request_original_transaction_id_fkey" FOREIGN KEY ("original_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reversal_request" ADD CONSTRAINT "reversal_request_reversal_transaction_id_fkey" FOREIGN KEY ("reversal_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund_instruction" ADD CONSTRAINT "refund_instruction_reversal_transaction_id_fkey" FOREIGN KEY ("reversal_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "refund_instruction" ADD CONSTRAINT "refund_instruction_funding_source_id_fkey" FOREIGN KEY ("funding_source_id") REFERENCES "funding_source"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bulk_job_item" ADD CONSTRAINT "bulk_job_item_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "bulk_job"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- ───────────── Rules ─────────────

ALTER TABLE "reversal_request" ADD CONSTRAINT reversal_request_amount_positive CHECK (amount > 0);
-- A request is COMPLETED exactly when its reversal transaction exists.
ALTER TABLE "reversal_request" ADD CONSTRAINT reversal_request_completed_has_transaction
  CHECK ((status = 'COMPLETED') = (reversal_transaction_id IS NOT NULL));
ALTER TABLE "reversal_request" ADD CONSTRAINT reversal_request_decision_complete
  CHECK (status NOT IN ('REJECTED', 'WITHDRAWN') OR (decided_by_id IS NOT NULL AND decided_at IS NOT NULL));

ALTER TABLE "refund_instruction" ADD CONSTRAINT refund_instruction_amount_positive CHECK (amount > 0);

ALTER TABLE "bulk_job" ADD CONSTRAINT bulk_job_counters CHECK (
  items_total >= 0 AND items_succeeded >= 0 AND items_skipped >= 0 AND items_failed >= 0
  AND items_succeeded + items_skipped + items_failed <= items_total);
ALTER TABLE "bulk_job_item" ADD CONSTRAINT bulk_job_item_processed_when_settled
  CHECK ((status = 'PENDING') = (processed_at IS NULL));

-- A settled reversal request is history: it never changes again, and what was asked (key, parameters, requester)
-- never changes at all. Only the status moves forward, once.
CREATE FUNCTION firebreak_guard_reversal_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status IN ('COMPLETED', 'REJECTED', 'WITHDRAWN') THEN
    RAISE EXCEPTION 'reversal request % is % and cannot change', OLD.id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.idempotency_key IS DISTINCT FROM OLD.idempotency_key OR NEW.fingerprint IS DISTINCT FROM OLD.fingerprint
     OR NEW.customer_id IS DISTINCT FROM OLD.customer_id
     OR NEW.original_transaction_id IS DISTINCT FROM OLD.original_transaction_id
     OR NEW.amount IS DISTINCT FROM OLD.amount OR NEW.reason_code IS DISTINCT FROM OLD.reason_code
     OR NEW.note IS DISTINCT FROM OLD.note OR NEW.requested_by_id IS DISTINCT FROM OLD.requested_by_id
     OR NEW.requested_at IS DISTINCT FROM OLD.requested_at THEN
    RAISE EXCEPTION 'the parameters of reversal request % cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER reversal_request_guard BEFORE UPDATE ON "reversal_request"
  FOR EACH ROW EXECUTE FUNCTION firebreak_guard_reversal_request();
CREATE TRIGGER reversal_request_no_delete BEFORE DELETE ON "reversal_request"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER reversal_request_no_truncate BEFORE TRUNCATE ON "reversal_request"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- A refund instruction sends back exactly what its reversal took from the wallet, to where the top-up came from.
CREATE FUNCTION firebreak_check_refund_instruction() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  reversal record;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.reversal_transaction_id IS DISTINCT FROM OLD.reversal_transaction_id OR NEW.amount IS DISTINCT FROM OLD.amount
       OR NEW.funding_source_id IS DISTINCT FROM OLD.funding_source_id OR NEW.channel IS DISTINCT FROM OLD.channel
       OR NEW.customer_id IS DISTINCT FROM OLD.customer_id THEN
      RAISE EXCEPTION 'refund instruction % can only change its delivery status', OLD.id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  SELECT r.amount, r.customer_id, o.kind AS original_kind, o.channel, o.funding_source_id INTO reversal
    FROM "ledger_transaction" r JOIN "ledger_transaction" o ON o.id = r.reverses_id
   WHERE r.id = NEW.reversal_transaction_id AND r.kind = 'REVERSAL';
  IF NOT FOUND OR reversal.original_kind <> 'TOP_UP' OR reversal.amount <> NEW.amount
     OR reversal.customer_id <> NEW.customer_id OR reversal.channel IS DISTINCT FROM NEW.channel
     OR reversal.funding_source_id IS DISTINCT FROM NEW.funding_source_id THEN
    RAISE EXCEPTION 'refund instruction does not match reversal % of a top-up', NEW.reversal_transaction_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER refund_instruction_matches_reversal BEFORE INSERT OR UPDATE ON "refund_instruction"
  FOR EACH ROW EXECUTE FUNCTION firebreak_check_refund_instruction();
CREATE TRIGGER refund_instruction_no_delete BEFORE DELETE ON "refund_instruction"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER refund_instruction_no_truncate BEFORE TRUNCATE ON "refund_instruction"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- A bulk job item is processed at most once: once settled it never changes, and its subject never changes.
CREATE FUNCTION firebreak_guard_bulk_job_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'PENDING' THEN
    RAISE EXCEPTION 'bulk job item % is already % and cannot change', OLD.id, OLD.status USING ERRCODE = 'check_violation';
  END IF;
  IF NEW.job_id IS DISTINCT FROM OLD.job_id OR NEW.subject_id IS DISTINCT FROM OLD.subject_id
     OR NEW.seq IS DISTINCT FROM OLD.seq OR NEW.phase IS DISTINCT FROM OLD.phase THEN
    RAISE EXCEPTION 'the subject of bulk job item % cannot change', OLD.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER bulk_job_item_guard BEFORE UPDATE ON "bulk_job_item"
  FOR EACH ROW EXECUTE FUNCTION firebreak_guard_bulk_job_item();
CREATE TRIGGER bulk_job_item_no_delete BEFORE DELETE ON "bulk_job_item"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER bulk_job_no_delete BEFORE DELETE ON "bulk_job"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();

-- ───────────── Reference data ─────────────

INSERT INTO "reversal_reason" (code, label, requires_note, sort_order) VALUES
  ('FRAUDULENT', 'Fraudulent (account takeover)', false, 1),
  ('DUPLICATE', 'Duplicate charge', false, 2),
  ('CUSTOMER_REQUEST', 'Customer request', false, 3),
  ('OTHER', 'Other (explain in a note)', true, 4);

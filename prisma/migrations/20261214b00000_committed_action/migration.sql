-- One row per audited staff action that committed, written by the statement that puts its SUCCESS row in the audit
-- intake. When the answer to a COMMIT is lost, the spine inserts the same id on a fresh connection: a conflict says the
-- action committed (no FAILED row beside its SUCCESS row), an insert says it did not and can no longer commit
-- (docs/decisions/090-reliability-round-five.md). Working state, pruned by auth housekeeping after a day.
CREATE TABLE "committed_action" (
    "id" UUID NOT NULL,
    "committed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "committed_action_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "committed_action_committed_at_idx" ON "committed_action"("committed_at");

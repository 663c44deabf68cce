-- Kill switches: change history, four-eyes release requests, service tokens and what each service has applied.
-- docs/decisions/007-kill-switch-propagation.md explains the choices.

-- CreateEnum
CREATE TYPE "KillSwitchChangeKind" AS ENUM ('ENGAGE', 'RELEASE', 'AUTO_RELEASE', 'CANCEL_AUTO_RELEASE');

-- CreateEnum
CREATE TYPE "KillSwitchReleaseStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'STALE');

-- CreateTable
CREATE TABLE "kill_switch_change" (
    "id" UUID NOT NULL,
    "switch_key" TEXT NOT NULL,
    "kind" "KillSwitchChangeKind" NOT NULL,
    "engaged" BOOLEAN NOT NULL,
    "version" INTEGER NOT NULL,
    "actor_id" TEXT NOT NULL,
    "actor_kind" TEXT NOT NULL,
    "approved_by_id" UUID,
    "release_request_id" UUID,
    "reason" TEXT NOT NULL,
    "release_at" TIMESTAMPTZ(3),
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kill_switch_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kill_switch_release_request" (
    "id" UUID NOT NULL,
    "switch_key" TEXT NOT NULL,
    "switch_version" INTEGER NOT NULL,
    "status" "KillSwitchReleaseStatus" NOT NULL DEFAULT 'PENDING',
    "requested_by_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "pending_switch_key" TEXT,

    CONSTRAINT "kill_switch_release_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_token" (
    "id" UUID NOT NULL,
    "service_name" TEXT NOT NULL,
    "description" TEXT,
    "token_hash" TEXT NOT NULL,
    "token_prefix" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "revoke_reason" TEXT,

    CONSTRAINT "service_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_switch_ack" (
    "service_name" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "switch_key" TEXT NOT NULL,
    "applied_version" INTEGER NOT NULL,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "token_id" UUID NOT NULL,

    CONSTRAINT "service_switch_ack_pkey" PRIMARY KEY ("service_name","instance","switch_key")
);

-- CreateIndex
CREATE INDEX "kill_switch_change_occurred_at_idx" ON "kill_switch_change"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "kill_switch_change_switch_key_version_key" ON "kill_switch_change"("switch_key", "version");

-- CreateIndex
CREATE UNIQUE INDEX "kill_switch_release_request_pending_switch_key_key" ON "kill_switch_release_request"("pending_switch_key");

-- CreateIndex
CREATE INDEX "kill_switch_release_request_switch_key_requested_at_idx" ON "kill_switch_release_request"("switch_key", "requested_at");

-- CreateIndex
CREATE INDEX "kill_switch_release_request_status_idx" ON "kill_switch_release_request"("status");

-- CreateIndex
CREATE UNIQUE INDEX "service_token_token_hash_key" ON "service_token"("token_hash");

-- CreateIndex
CREATE INDEX "service_token_service_name_idx" ON "service_token"("service_name");

-- CreateIndex
CREATE INDEX "service_switch_ack_switch_key_idx" ON "service_switch_ack"("switch_key");

-- AddForeignKey
ALTER TABLE "kill_switch_change" ADD CONSTRAINT "kill_switch_change_switch_key_fkey" FOREIGN KEY ("switch_key") REFERENCES "kill_switch"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "kill_switch_release_request" ADD CONSTRAINT "kill_switch_release_request_switch_key_fkey" FOREIGN KEY ("switch_key") REFERENCES "kill_switch"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_switch_ack" ADD CONSTRAINT "service_switch_ack_switch_key_fkey" FOREIGN KEY ("switch_key") REFERENCES "kill_switch"("key") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "service_switch_ack" ADD CONSTRAINT "service_switch_ack_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "service_token"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The history of a switch is evidence: it is never rewritten (corrections are new changes).
CREATE TRIGGER kill_switch_change_append_only BEFORE UPDATE OR DELETE ON "kill_switch_change"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER kill_switch_change_no_truncate BEFORE TRUNCATE ON "kill_switch_change"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- Every change and every request says why.
ALTER TABLE "kill_switch_change" ADD CONSTRAINT kill_switch_change_reason_present CHECK (length(btrim(reason)) > 0);
ALTER TABLE "kill_switch_release_request" ADD CONSTRAINT release_request_reason_present
  CHECK (length(btrim(reason)) > 0);

-- Four-eyes, enforced by the database as well as by the code: a manual release names a second person.
-- For a RELEASE, actor_id is the requester and approved_by_id the security lead who approved it.
ALTER TABLE "kill_switch_change" ADD CONSTRAINT kill_switch_change_release_four_eyes
  CHECK (kind <> 'RELEASE' OR (approved_by_id IS NOT NULL AND approved_by_id::text <> actor_id
                               AND release_request_id IS NOT NULL));
ALTER TABLE "kill_switch_release_request" ADD CONSTRAINT release_request_decider_differs
  CHECK (status NOT IN ('APPROVED', 'REJECTED') OR (decided_by_id IS NOT NULL AND decided_by_id <> requested_by_id));

-- pending_switch_key mirrors switch_key exactly while the request is pending (one pending request per switch).
ALTER TABLE "kill_switch_release_request" ADD CONSTRAINT release_request_pending_key_consistent
  CHECK ((status = 'PENDING' AND pending_switch_key = switch_key) OR (status <> 'PENDING' AND pending_switch_key IS NULL));
ALTER TABLE "kill_switch_release_request" ADD CONSTRAINT release_request_decision_recorded
  CHECK (status = 'PENDING' OR decided_at IS NOT NULL);

ALTER TABLE "service_switch_ack" ADD CONSTRAINT service_switch_ack_version_positive CHECK (applied_version > 0);

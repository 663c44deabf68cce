-- CreateEnum
CREATE TYPE "StaffGrantKind" AS ENUM ('INVITE', 'ROLE_RAISE');

-- CreateEnum
CREATE TYPE "StaffGrantStatus" AS ENUM ('PENDING', 'APPROVED', 'DECLINED', 'EXPIRED');

-- CreateTable
CREATE TABLE "staff_grant_request" (
    "id" UUID NOT NULL,
    "kind" "StaffGrantKind" NOT NULL,
    "role" "StaffRole" NOT NULL,
    "staff_id" UUID,
    "from_role" "StaffRole",
    "email" TEXT,
    "display_name" TEXT,
    "language" TEXT,
    "reason" TEXT,
    "requested_by_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "status" "StaffGrantStatus" NOT NULL DEFAULT 'PENDING',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "pending_key" TEXT,

    CONSTRAINT "staff_grant_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_grant_request_pending_key_key" ON "staff_grant_request"("pending_key");

-- CreateIndex
CREATE INDEX "staff_grant_request_status_requested_at_idx" ON "staff_grant_request"("status", "requested_at");

-- Four eyes in the data itself: whoever asked for a privileged grant never approves it.
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_four_eyes"
  CHECK ("status" <> 'APPROVED' OR ("decided_by_id" IS NOT NULL AND "decided_by_id" <> "requested_by_id"));
-- A decline names who declined and why; an expiry is the system's (no decider).
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_decline_explained"
  CHECK ("status" <> 'DECLINED' OR ("decided_by_id" IS NOT NULL AND length(btrim("decision_reason")) > 0));
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_decision_recorded"
  CHECK ("status" = 'PENDING' OR "decided_at" IS NOT NULL);
-- The pending key is there exactly while the request is open, so the unique index allows one open request per key.
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_pending_key_consistent"
  CHECK (("status" = 'PENDING') = ("pending_key" IS NOT NULL));
-- What each kind must carry: an invitation its address, name and language; a raise its member and former role.
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_kind_fields"
  CHECK (("kind" = 'INVITE' AND "email" IS NOT NULL AND "display_name" IS NOT NULL AND "language" IN ('ja', 'en'))
      OR ("kind" = 'ROLE_RAISE' AND "staff_id" IS NOT NULL AND "from_role" IS NOT NULL));
-- An approved invitation names the member it created.
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_approved_invite_member"
  CHECK ("kind" <> 'INVITE' OR "status" <> 'APPROVED' OR "staff_id" IS NOT NULL);
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_expiry_after_request"
  CHECK ("expires_at" > "requested_at");

-- CreateEnum
CREATE TYPE "ContactKeepStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED');

-- CreateTable
CREATE TABLE "recovery_code" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "staff_id" UUID NOT NULL,
    "channel" "ContactField" NOT NULL,
    "sent_to" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "verified_at" TIMESTAMPTZ(3),
    "used_at" TIMESTAMPTZ(3),
    "superseded_at" TIMESTAMPTZ(3),

    CONSTRAINT "recovery_code_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_keep_request" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "field" "ContactField" NOT NULL,
    "value" TEXT NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "recovery_code_id" UUID NOT NULL,
    "status" "ContactKeepStatus" NOT NULL DEFAULT 'PENDING',
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,

    CONSTRAINT "contact_keep_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "recovery_code_customer_id_created_at_idx" ON "recovery_code"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "contact_keep_request_status_requested_at_idx" ON "contact_keep_request"("status", "requested_at");

-- CreateIndex
CREATE INDEX "contact_keep_request_customer_id_requested_at_idx" ON "contact_keep_request"("customer_id", "requested_at");


-- Four eyes in the data itself: whoever asked to keep a suspect contact never decides it.
ALTER TABLE "contact_keep_request"
  ADD CONSTRAINT "contact_keep_request_four_eyes" CHECK ("decided_by_id" IS NULL OR "decided_by_id" <> "requested_by_id");
-- At most one open request per customer and field.
CREATE UNIQUE INDEX "contact_keep_request_one_pending" ON "contact_keep_request"("customer_id", "field") WHERE "status" = 'PENDING';

-- Containment policies approved by two leads, and their firings (one per policy and alert).
-- CreateEnum
CREATE TYPE "ContainmentPolicyStatus" AS ENUM ('PROPOSED', 'ACTIVE', 'DISABLED');

-- CreateTable
CREATE TABLE "containment_policy" (
    "id" UUID NOT NULL,
    "detector" TEXT NOT NULL,
    "min_severity" "DetectAlertSeverity" NOT NULL,
    "switch_key" TEXT NOT NULL,
    "status" "ContainmentPolicyStatus" NOT NULL DEFAULT 'PROPOSED',
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL,
    "approved_by_id" UUID,
    "approved_at" TIMESTAMPTZ(3),
    "disabled_by_id" UUID,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "containment_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "containment_firing" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    "alert_id" UUID NOT NULL,
    "fired_at" TIMESTAMPTZ(3) NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,

    CONSTRAINT "containment_firing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "containment_policy_status_detector_idx" ON "containment_policy"("status", "detector");

-- CreateIndex
CREATE UNIQUE INDEX "containment_firing_policy_id_alert_id_key" ON "containment_firing"("policy_id", "alert_id");

-- AddForeignKey
ALTER TABLE "containment_firing" ADD CONSTRAINT "containment_firing_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "containment_policy"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


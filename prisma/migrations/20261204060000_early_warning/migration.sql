-- Early warning: the detectors' per-minute history, the live worker's cursor, alerts (ADR 027).
-- CreateEnum
CREATE TYPE "DetectAlertSeverity" AS ENUM ('LOW', 'MEDIUM', 'HIGH');

-- CreateTable
CREATE TABLE "detector_minute" (
    "detector" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "detector_minute_pkey" PRIMARY KEY ("detector","minute")
);

-- CreateTable
CREATE TABLE "detector_cursor" (
    "name" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "detector_cursor_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "detect_alert" (
    "id" UUID NOT NULL,
    "detector" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "severity" "DetectAlertSeverity" NOT NULL,
    "peak_severity" "DetectAlertSeverity" NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "baseline" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "last_above_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "acknowledged_by_id" UUID,
    "acknowledged_at" TIMESTAMPTZ(3),
    "incident_id" UUID,
    "cohort_id" UUID,

    CONSTRAINT "detect_alert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "detect_alert_raised_at_idx" ON "detect_alert"("raised_at");

-- CreateIndex
CREATE INDEX "detect_alert_detector_ended_at_idx" ON "detect_alert"("detector", "ended_at");


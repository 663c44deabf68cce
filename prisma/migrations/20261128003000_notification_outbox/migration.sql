-- Notification outbox (issue 8). See docs/decisions/008-notification-outbox.md.
-- CreateEnum
CREATE TYPE "OutboundMessageStatus" AS ENUM ('QUEUED', 'SENDING', 'SENT', 'FAILED', 'SKIPPED', 'UNCERTAIN');

-- CreateTable
CREATE TABLE "outbound_message" (
    "id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "incident_id" UUID,
    "customer_id" UUID NOT NULL,
    "template" TEXT NOT NULL,
    "discriminator" TEXT,
    "language" TEXT NOT NULL,
    "recipient" TEXT,
    "subject" TEXT,
    "text_body" TEXT,
    "html_body" TEXT,
    "message_id_header" TEXT NOT NULL,
    "status" "OutboundMessageStatus" NOT NULL,
    "skip_reason" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_until" TIMESTAMPTZ(3),
    "claim_token" UUID,
    "last_error" TEXT,
    "smtp_message_id" TEXT,
    "smtp_response" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "redacted_at" TIMESTAMPTZ(3),
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbound_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_dedupe_key_key" ON "outbound_message"("dedupe_key");

-- CreateIndex
CREATE UNIQUE INDEX "outbound_message_message_id_header_key" ON "outbound_message"("message_id_header");

-- CreateIndex
CREATE INDEX "outbound_message_status_priority_next_attempt_at_idx" ON "outbound_message"("status", "priority" DESC, "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbound_message_customer_id_created_at_idx" ON "outbound_message"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "outbound_message_incident_id_template_status_idx" ON "outbound_message"("incident_id", "template", "status");

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Rules the worker and the enqueue path rely on, kept by the database itself.
ALTER TABLE "outbound_message"
  ADD CONSTRAINT "outbound_message_language_check" CHECK ("language" IN ('ja', 'en')),
  ADD CONSTRAINT "outbound_message_attempts_check" CHECK ("attempts" >= 0),
  ADD CONSTRAINT "outbound_message_skipped_has_reason" CHECK ("status" <> 'SKIPPED' OR "skip_reason" IS NOT NULL),
  ADD CONSTRAINT "outbound_message_sendable_has_recipient" CHECK ("status" = 'SKIPPED' OR "recipient" IS NOT NULL),
  ADD CONSTRAINT "outbound_message_sent_has_time" CHECK ("status" <> 'SENT' OR "sent_at" IS NOT NULL);

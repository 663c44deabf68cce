-- Lockout without a weapon (docs/decisions/018-lockout-without-a-weapon.md): second-step failures get a scope (the
-- session for step-up, the client source for sign-in) and wrong passwords are counted per account and source.
-- AlterTable
ALTER TABLE "staff_totp_failure" ADD COLUMN     "scope" TEXT NOT NULL DEFAULT 'account';

-- CreateTable
CREATE TABLE "staff_password_failure" (
    "id" BIGSERIAL NOT NULL,
    "staff_id" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_password_failure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "staff_password_failure_staff_id_source_occurred_at_idx" ON "staff_password_failure"("staff_id", "source", "occurred_at");

-- CreateIndex
CREATE INDEX "staff_totp_failure_staff_id_scope_occurred_at_idx" ON "staff_totp_failure"("staff_id", "scope", "occurred_at");


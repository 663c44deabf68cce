-- Account recovery (issue 7): single-use password-reset tokens (hash only), identity checks recorded on the case,
-- customers' authenticator secrets and half-finished sign-ins. docs/decisions/013-account-recovery.md explains the choices.

-- CreateEnum
CREATE TYPE "PasswordResetOrigin" AS ENUM ('STAFF_FORCED', 'SELF_SERVICE');

-- CreateEnum
CREATE TYPE "CustomerChallengeKind" AS ENUM ('ENROLL_TWO_FACTOR', 'VERIFY_TWO_FACTOR');

-- CreateTable
CREATE TABLE "password_reset_token" (
    "id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "origin" "PasswordResetOrigin" NOT NULL,
    "sent_to" TEXT NOT NULL,
    "requested_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "superseded_at" TIMESTAMPTZ(3),

    CONSTRAINT "password_reset_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identity_check" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "case_id" UUID,
    "staff_id" UUID NOT NULL,
    "birth_date_matched" BOOLEAN,
    "last_top_up_matched" BOOLEAN,
    "card_last4_matched" BOOLEAN,
    "passed" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "identity_check_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "customer_totp_credential" (
    "customer_id" UUID NOT NULL,
    "secret_encrypted" TEXT NOT NULL,
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "last_used_step" BIGINT,

    CONSTRAINT "customer_totp_credential_pkey" PRIMARY KEY ("customer_id")
);

-- CreateTable
CREATE TABLE "customer_sign_in_challenge" (
    "id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "kind" "CustomerChallengeKind" NOT NULL,
    "device_fingerprint" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "ip" TEXT,
    "pending_secret_encrypted" TEXT,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "customer_sign_in_challenge_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "password_reset_token_customer_id_created_at_idx" ON "password_reset_token"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "identity_check_customer_id_created_at_idx" ON "identity_check"("customer_id", "created_at");

-- CreateIndex
CREATE INDEX "identity_check_case_id_idx" ON "identity_check"("case_id");

-- CreateIndex
CREATE INDEX "customer_sign_in_challenge_customer_id_idx" ON "customer_sign_in_challenge"("customer_id");

-- AddForeignKey
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_check" ADD CONSTRAINT "identity_check_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "identity_check" ADD CONSTRAINT "identity_check_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "incident_case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_totp_credential" ADD CONSTRAINT "customer_totp_credential_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "customer_sign_in_challenge" ADD CONSTRAINT "customer_sign_in_challenge_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- A token can only ever be used once and must expire after it was made; the application's conditional update relies on
-- these holding for every row, whoever writes it.
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_expiry_after_creation" CHECK ("expires_at" > "created_at");
ALTER TABLE "password_reset_token" ADD CONSTRAINT "password_reset_token_id_is_sha256" CHECK ("id" ~ '^[0-9a-f]{64}$');
ALTER TABLE "customer_sign_in_challenge" ADD CONSTRAINT "customer_sign_in_challenge_id_is_sha256" CHECK ("id" ~ '^[0-9a-f]{64}$');

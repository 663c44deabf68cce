-- Risk rules decide two more events: a customer changing their email or phone in the app, and a self-service
-- password-reset request.
ALTER TYPE "RiskEventKind" ADD VALUE 'CONTACT_CHANGE';
ALTER TYPE "RiskEventKind" ADD VALUE 'RESET_REQUEST';

-- Every self-service reset request, whether or not a link was sent (and whether or not it named an account), so that
-- the rules and the backtest can count requests per account and per address. Nothing here says what was answered.
CREATE TABLE "reset_request" (
    "id" UUID NOT NULL,
    "customer_id" UUID,
    "ip" TEXT,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reset_request_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "reset_request_customer_id_requested_at_idx" ON "reset_request"("customer_id", "requested_at");
CREATE INDEX "reset_request_ip_requested_at_idx" ON "reset_request"("ip", "requested_at");
-- The backtest reads reset requests in keyset pages.
CREATE INDEX "reset_request_requested_at_id_idx" ON "reset_request"("requested_at", "id");

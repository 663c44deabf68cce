-- Customer sign-in answered an unknown account and a locked one differently, and nothing limited one source trying
-- many accounts. Failures are now counted on one row per account (or per unknown identifier) and one per source
-- address, claimed by an atomic upsert before the password is checked (docs/decisions/079-uniform-customer-sign-in.md).
CREATE TABLE "customer_sign_in_limit" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "customer_sign_in_limit_pkey" PRIMARY KEY ("scope","key")
);

-- A refused attempt that named an account says why (SOURCE_LIMITED), so the console's sign-in signals can see it.
ALTER TABLE "login_event" ADD COLUMN "reason" TEXT;

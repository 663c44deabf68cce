-- A customer's step-up code (confirming a risky top-up, payment or contact change in the app) was checked with no
-- limit on wrong tries, so a stolen session could guess it. Wrong codes are now counted on the credential row, claimed
-- before the code is checked so concurrent guesses cannot exceed the limit; at the limit the step-up is locked until
-- the customer signs in again with password and code.
ALTER TABLE "customer_totp_credential" ADD COLUMN "step_up_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "step_up_locked_at" TIMESTAMPTZ(3);

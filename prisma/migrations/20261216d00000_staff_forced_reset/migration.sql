-- The forced resets each staff member made, by customer and time: past a number of different customers in an hour, a
-- member's next forced reset needs a fresh authenticator code, so a stolen agent session cannot reset customer after
-- customer (docs/decisions/104-security-audit-round-eight.md). Working state, pruned by auth housekeeping after a day.
CREATE TABLE "staff_forced_reset" (
    "id" BIGSERIAL NOT NULL,
    "staff_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_forced_reset_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "staff_forced_reset_staff_id_created_at_idx" ON "staff_forced_reset"("staff_id", "created_at");
CREATE INDEX "staff_forced_reset_created_at_idx" ON "staff_forced_reset"("created_at");

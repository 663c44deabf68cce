-- The accounts each staff member contained (froze, or marked compromised), by customer and time: past a number of
-- different customers in an hour, a member's next containment needs a fresh authenticator code, so a stolen agent
-- session cannot stop every customer's payments (docs/decisions/115-security-audit-round-nine.md). Working state,
-- pruned by auth housekeeping after a day.
CREATE TABLE "staff_containment" (
    "id" BIGSERIAL NOT NULL,
    "staff_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_containment_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "staff_containment_staff_id_created_at_idx" ON "staff_containment"("staff_id", "created_at");
CREATE INDEX "staff_containment_created_at_idx" ON "staff_containment"("created_at");

-- A form rendered once is acted on once. The page hands its form a fresh key; the action claims the key in the same
-- transaction as its change, so a double click, a reload that resends the post or a retried request finds the key
-- taken and changes nothing (docs/decisions/087-a-stressed-person-at-the-browser.md).
CREATE TABLE "form_submission" (
    "key" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "staff_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "form_submission_pkey" PRIMARY KEY ("key")
);

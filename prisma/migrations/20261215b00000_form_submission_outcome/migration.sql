-- What the first post of a form made (the id of the cohort or rule version it saved), so a second post of the same
-- rendered form can be shown that result instead of only a refusal (docs/decisions/095-reliability-round-six.md).
ALTER TABLE "form_submission" ADD COLUMN "outcome" TEXT;

-- A mail that carries a secret (a reset link, a recovery code, a staff member's one-time link) and whose delivery is in
-- doubt is never resent — a new link or code replaces it — so its stored body has no use and must not stay readable.
-- From now on the outbox worker blanks it when the message becomes UNCERTAIN; this blanks the ones already waiting
-- for review (docs/decisions/069-secrets-in-doubt.md). The template names are those carriesSecret() named on this date.
UPDATE "outbound_message"
   SET "text_body" = NULL, "html_body" = NULL, "redacted_at" = now(), "updated_at" = now()
 WHERE "status" = 'UNCERTAIN'
   AND "template" IN ('password-reset', 'recovery-code', 'staff-link')
   AND "redacted_at" IS NULL;

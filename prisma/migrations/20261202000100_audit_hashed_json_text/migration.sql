-- The canonical JSON text of before/after, exactly as it was hashed, kept beside the jsonb (whose own text form orders
-- keys differently). With it the database can recompute every row's hash in one pass and the verifier no longer has
-- to pull each row into Node (ADR 015). Rows written before this migration keep NULL here and are verified the old way.
-- ALTER TABLE ... ADD COLUMN does not fire the append-only triggers; no existing row changes.
ALTER TABLE "audit_event" ADD COLUMN "before_text" TEXT;
ALTER TABLE "audit_event" ADD COLUMN "after_text" TEXT;

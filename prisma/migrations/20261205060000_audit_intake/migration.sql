-- CreateTable
CREATE TABLE "audit_intake" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" TEXT,
    "actor_role" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "incident_id" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "reason" TEXT,
    "before" JSONB,
    "after" JSONB,
    "ip" TEXT,
    "user_agent" TEXT,
    "request_id" TEXT,
    "before_text" TEXT,
    "after_text" TEXT,

    CONSTRAINT "audit_intake_pkey" PRIMARY KEY ("id")
);

-- Sealing (docs/decisions/040-audit-chain-without-a-global-lock.md). Writers commit their audit row to audit_intake
-- without touching the chain; this function appends every committed intake row to audit_event, assigning seq,
-- prev_hash and hash as it seals, and removes them from the intake in the same transaction, so a row is in exactly one
-- of the two tables at any moment. Rows whose inserting transaction is still open are invisible to this statement's
-- snapshot and are sealed by a later call. Sealers serialise on the advisory lock that in-transaction writers still
-- take (they append to audit_event directly), so the chain has one writer at a time; the lock is held for one batch,
-- not for every writer's round trips. SECURITY DEFINER: the runtime role can only INSERT into the intake, never
-- delete from it, and cannot redirect the function through search_path.
--
-- The canonical text is built exactly as app/audit/canonical.ts writes it (the same expression the in-database
-- verifier of ADR 015 uses); before/after are hashed from the canonical text the writer stored beside the jsonb.
CREATE FUNCTION firebreak_seal_audit_intake(max_rows integer DEFAULT 10000) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  sealed_ids bigint[] := '{}';
  r record;
  canonical text;
  row_hash text;
BEGIN
  PERFORM pg_advisory_xact_lock(72917002);
  -- The sealed rows are already durable in the intake: if a crash loses this commit, the same rows are back in the
  -- intake and are sealed again. Whatever else commits durably after it (a checkpoint, a direct writer, the next
  -- audit row) flushes the WAL in order and makes this seal durable first. So the seal need not wait for its own flush,
  -- which is what kept every writer waiting on the chain's commit before.
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT seq, hash INTO head_seq, head_hash FROM audit_event ORDER BY seq DESC LIMIT 1;
  IF head_seq IS NULL THEN
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  FOR r IN SELECT * FROM audit_intake ORDER BY id LIMIT max_rows LOOP
    head_seq := head_seq + 1;
    canonical := '{"action":' || to_json(r.action)::text ||
      ',"actorId":' || coalesce(to_json(r.actor_id)::text, 'null') ||
      ',"actorRole":' || coalesce(to_json(r.actor_role)::text, 'null') ||
      ',"after":' || coalesce(r.after_text, 'null') ||
      ',"before":' || coalesce(r.before_text, 'null') ||
      ',"incidentId":' || coalesce(to_json(r.incident_id)::text, 'null') ||
      ',"ip":' || coalesce(to_json(r.ip)::text, 'null') ||
      ',"occurredAt":"' || to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
      '","outcome":"' || r.outcome::text ||
      '","prevHash":' || to_json(head_hash)::text ||
      ',"reason":' || coalesce(to_json(r.reason)::text, 'null') ||
      ',"requestId":' || coalesce(to_json(r.request_id)::text, 'null') ||
      ',"seq":"' || head_seq::text ||
      '","targetId":' || coalesce(to_json(r.target_id)::text, 'null') ||
      ',"targetType":' || coalesce(to_json(r.target_type)::text, 'null') ||
      ',"userAgent":' || coalesce(to_json(r.user_agent)::text, 'null') ||
      ',"v":1}';
    row_hash := encode(sha256(convert_to(canonical, 'UTF8')), 'hex');
    INSERT INTO audit_event (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, incident_id,
                             outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash,
                             before_text, after_text)
    VALUES (head_seq, r.occurred_at, r.actor_id, r.actor_role, r.action, r.target_type, r.target_id, r.incident_id,
            r.outcome, r.reason, r.before, r.after, r.ip, r.user_agent, r.request_id, head_hash, row_hash,
            r.before_text, r.after_text);
    head_hash := row_hash;
    sealed_ids := sealed_ids || r.id;
  END LOOP;
  IF cardinality(sealed_ids) > 0 THEN
    DELETE FROM audit_intake WHERE id = ANY (sealed_ids);
  END IF;
  RETURN cardinality(sealed_ids);
END;
$$;

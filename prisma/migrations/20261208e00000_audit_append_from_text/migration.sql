-- Audited reads send each before/after value once, as the canonical text the hash covers
-- (docs/decisions/065-one-audit-call-in-flight.md). The console built that text and, beside it, the same value as a
-- JSON object (one more canonical serialisation and a JSON.parse per row in Node), and sent both; the jsonb column is
-- now parsed here from the text. The text is canonical JSON of a value already made JSON-safe, so the jsonb is the
-- same value either way, and the hash (which covers the text) is unchanged. Otherwise as in migration
-- 20261206050000: the chain lock is held only while the batch is hashed and inserted, released by a commit that does
-- not wait for its flush; firebreak_append_audit_rows, unchanged, waits for that flush before it returns.
CREATE OR REPLACE FUNCTION firebreak_append_audit_rows_unflushed(rows jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  batch audit_intake[];
BEGIN
  SELECT array_agg(ROW(NULL, (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole', r->>'action',
                       r->>'targetType', r->>'targetId', r->>'incidentId', (r->>'outcome')::"AuditOutcome",
                       r->>'reason', (r->>'beforeText')::jsonb, (r->>'afterText')::jsonb, r->>'ip',
                       r->>'userAgent', r->>'requestId', r->>'beforeText', r->>'afterText', NULL, NULL)::audit_intake
                   ORDER BY e.n)
    INTO batch
    FROM jsonb_array_elements(rows) WITH ORDINALITY AS e(r, n);
  PERFORM pg_advisory_xact_lock(72917002);
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN firebreak_chain_audit_rows(batch);
END;
$$;

-- Intake rows that cannot vanish unnoticed, and a cheaper seal (docs/decisions/049-intake-numbers-and-a-cheaper-seal.md).
--
-- Every intake row takes a number, in its INSERT statement, from a counter of its writer slot (the inserting backend's
-- pid modulo 4096). The counter row is updated in the writer's own transaction, so a transaction that rolls back (or a
-- server that crashes before the commit) takes its numbers back with it: within a slot the committed numbers run
-- 1..taken with no gap. The sealer counts, per slot, the rows it moved into the chain. So at every moment, in one snapshot,
-- taken = sealed + still in the intake; a committed row deleted from the intake before it was sealed breaks that
-- equality, and `audit:verify` names its number. Writers on different backends update different counter rows and do not
-- wait for each other (two backends share a slot only when their pids collide modulo 4096).

CREATE TABLE "audit_intake_counter" (
    "slot" INTEGER NOT NULL,
    "taken" BIGINT NOT NULL,

    CONSTRAINT "audit_intake_counter_pkey" PRIMARY KEY ("slot")
);

CREATE TABLE "audit_intake_sealed" (
    "slot" INTEGER NOT NULL,
    "sealed" BIGINT NOT NULL,

    CONSTRAINT "audit_intake_sealed_pkey" PRIMARY KEY ("slot")
);

ALTER TABLE "audit_intake" ADD COLUMN "slot" INTEGER, ADD COLUMN "slot_no" BIGINT;

-- Where a sealed row came from (not part of its hash): lets `audit:verify` name the number that is missing.
ALTER TABLE "audit_event" ADD COLUMN "intake_slot" INTEGER, ADD COLUMN "intake_no" BIGINT;

-- Takes `n` numbers of the calling backend's writer slot and returns the slot and the last number taken (the batch's
-- numbers are last - n + 1 .. last). Called once per intake INSERT statement (app/audit/audit-log.server.ts), in that
-- statement: if the insert fails or its transaction rolls back, so does this. One counter update per statement, not per
-- row: a row updated many times in one transaction grows a chain of versions that each later update walks.
-- SECURITY DEFINER: the runtime role may not write the counters itself (runtime-grants.server.ts), only through this.
CREATE FUNCTION firebreak_take_intake_numbers(n integer, OUT slot integer, OUT last bigint)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  INSERT INTO audit_intake_counter AS c (slot, taken) VALUES (pg_backend_pid() % 4096, n)
    ON CONFLICT (slot) DO UPDATE SET taken = c.taken + excluded.taken
    RETURNING c.slot, c.taken;
$$;

-- Appending a batch to the chain, set-based; the caller holds the chain lock. The canonical text of ADR 040 is built for
-- the whole batch in one query, as the part before the previous hash and the part after it (the seq is known from the
-- row's position); only the hash, which depends on the row before, is computed row by row. Then one statement inserts
-- the batch. Same output, byte for byte, as the row-by-row seal it replaces. Not callable by the runtime role.
CREATE FUNCTION firebreak_chain_audit_rows(batch audit_intake[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  first_prev text;
  heads text[];
  tails text[];
  hashes text[] := '{}';
  n integer := coalesce(cardinality(batch), 0);
  moved integer;
BEGIN
  IF n = 0 THEN
    RETURN 0;
  END IF;
  SELECT seq, hash INTO head_seq, head_hash FROM audit_event ORDER BY seq DESC LIMIT 1;
  IF head_seq IS NULL THEN
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  SELECT array_agg(
           '{"action":' || to_json(r.action)::text ||
           ',"actorId":' || coalesce(to_json(r.actor_id)::text, 'null') ||
           ',"actorRole":' || coalesce(to_json(r.actor_role)::text, 'null') ||
           ',"after":' || coalesce(r.after_text, 'null') ||
           ',"before":' || coalesce(r.before_text, 'null') ||
           ',"incidentId":' || coalesce(to_json(r.incident_id)::text, 'null') ||
           ',"ip":' || coalesce(to_json(r.ip)::text, 'null') ||
           ',"occurredAt":"' || to_char(r.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') ||
           '","outcome":"' || r.outcome::text ||
           '","prevHash":' ORDER BY r.ordinality),
         array_agg(
           ',"reason":' || coalesce(to_json(r.reason)::text, 'null') ||
           ',"requestId":' || coalesce(to_json(r.request_id)::text, 'null') ||
           ',"seq":"' || (head_seq + r.ordinality)::text ||
           '","targetId":' || coalesce(to_json(r.target_id)::text, 'null') ||
           ',"targetType":' || coalesce(to_json(r.target_type)::text, 'null') ||
           ',"userAgent":' || coalesce(to_json(r.user_agent)::text, 'null') ||
           ',"v":1}' ORDER BY r.ordinality)
    INTO heads, tails
    FROM unnest(batch) WITH ORDINALITY AS r;
  first_prev := head_hash;
  FOR k IN 1..n LOOP
    head_hash := encode(sha256(convert_to(heads[k] || to_json(head_hash)::text || tails[k], 'UTF8')), 'hex');
    hashes[k] := head_hash;
  END LOOP;
  INSERT INTO audit_event (seq, occurred_at, actor_id, actor_role, action, target_type, target_id, incident_id,
                           outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash,
                           before_text, after_text, intake_slot, intake_no)
  SELECT head_seq + r.ordinality, r.occurred_at, r.actor_id, r.actor_role, r.action, r.target_type, r.target_id,
         r.incident_id, r.outcome, r.reason, r.before, r.after, r.ip, r.user_agent, r.request_id,
         CASE WHEN r.ordinality = 1 THEN first_prev ELSE hashes[r.ordinality - 1] END, hashes[r.ordinality], r.before_text, r.after_text,
         r.slot, r.slot_no
    FROM unnest(batch) WITH ORDINALITY AS r
   ORDER BY r.ordinality; -- in chain order: audit_event's own trigger checks that each row extends the head
  GET DIAGNOSTICS moved = ROW_COUNT;
  RETURN moved;
END;
$$;
REVOKE ALL ON FUNCTION firebreak_chain_audit_rows(audit_intake[]) FROM PUBLIC;

-- The seal (ADR 040): every committed intake row its snapshot sees, removed from the intake and appended to the chain in
-- one transaction, and counted per writer slot.
CREATE OR REPLACE FUNCTION firebreak_seal_audit_intake(max_rows integer DEFAULT 10000) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  batch audit_intake[];
  n integer;
  moved integer;
BEGIN
  PERFORM pg_advisory_xact_lock(72917002);
  -- As before: the rows are durable in the intake already; see ADR 040.
  PERFORM set_config('synchronous_commit', 'off', true);
  SELECT array_agg(i ORDER BY i.id) INTO batch FROM (SELECT * FROM audit_intake ORDER BY id LIMIT max_rows) i;
  n := coalesce(cardinality(batch), 0);
  IF n = 0 THEN
    RETURN 0;
  END IF;
  DELETE FROM audit_intake WHERE id IN (SELECT b.id FROM unnest(batch) b);
  GET DIAGNOSTICS moved = ROW_COUNT;
  IF moved <> n THEN
    -- A row seen a moment ago under the chain lock is gone: fail the whole seal rather than chain around it.
    RAISE EXCEPTION 'audit intake changed while it was being sealed (% of % rows)', moved, n;
  END IF;
  PERFORM firebreak_chain_audit_rows(batch);
  INSERT INTO audit_intake_sealed AS s (slot, sealed)
  SELECT b.slot, count(*) FROM unnest(batch) b WHERE b.slot IS NOT NULL GROUP BY b.slot
  ON CONFLICT (slot) DO UPDATE SET sealed = s.sealed + excluded.sealed;
  RETURN n;
END;
$$;

-- Rows that stand alone (an audited read, a denial, a failure), appended straight to the chain without the intake: the
-- chain lock is held only while the batch is hashed and inserted, and released by a commit that does not wait for its
-- flush. The console calls it only through firebreak_append_audit_rows below, which waits for that flush before it
-- returns.
CREATE FUNCTION firebreak_append_audit_rows_unflushed(rows jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  batch audit_intake[];
BEGIN
  SELECT array_agg(ROW(NULL, (r->>'occurredAt')::timestamptz, r->>'actorId', r->>'actorRole', r->>'action',
                       r->>'targetType', r->>'targetId', r->>'incidentId', (r->>'outcome')::"AuditOutcome",
                       r->>'reason', NULLIF(r->'before', 'null'::jsonb), NULLIF(r->'after', 'null'::jsonb), r->>'ip',
                       r->>'userAgent', r->>'requestId', r->>'beforeText', r->>'afterText', NULL, NULL)::audit_intake
                   ORDER BY e.n)
    INTO batch
    FROM jsonb_array_elements(rows) WITH ORDINALITY AS e(r, n);
  PERFORM pg_advisory_xact_lock(72917002);
  PERFORM set_config('synchronous_commit', 'off', true);
  RETURN firebreak_chain_audit_rows(batch);
END;
$$;

-- In one round trip: the rows appended (commit not waiting for its flush, so the chain lock is not held across it), then
-- a transaction that writes WAL of its own and commits waiting for its flush, which covers the append's WAL too. So the
-- rows are durable before the call returns, as ADR 040 requires, while the flushes of concurrent callers are shared by
-- PostgreSQL's group commit instead of taken one at a time under the lock. A procedure so that it may commit.
CREATE PROCEDURE firebreak_append_audit_rows(rows jsonb, INOUT appended integer DEFAULT NULL)
  LANGUAGE plpgsql AS $$
BEGIN
  appended := public.firebreak_append_audit_rows_unflushed(rows);
  COMMIT;
  PERFORM pg_catalog.pg_logical_emit_message(true, 'firebreak', 'audit rows flushed');
  COMMIT;
END;
$$;

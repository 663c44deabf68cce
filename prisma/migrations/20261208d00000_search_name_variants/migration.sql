-- The caller search's one-edit look-up (docs/decisions/064-search-generic-plans-and-typo-variants.md). A name
-- typed with one wrong, missing, extra or swapped kana used to be answered by spelling out every key one edit away
-- (about 1,300 for a seven-kana name) and probing the name indexes for each. Two strings within one edit of each other share a string
-- one character shorter than the longer of them (or one is the other's deletion), so storing each key with its
-- deletions lets the search find the keys near a typed one with one probe per character of it.
CREATE TABLE "search_name_variant" (
    "variant" TEXT COLLATE "C" NOT NULL,
    "key" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "search_name_variant_pkey" PRIMARY KEY ("variant","key")
);

-- The key itself and every string with one of its characters removed. Only keys a typed name (3–20 characters) can
-- be one edit from: 2–21 characters.
CREATE FUNCTION firebreak_name_variants(k text) RETURNS SETOF text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT k WHERE char_length(k) BETWEEN 2 AND 21
    UNION
    SELECT overlay(k PLACING '' FROM i FOR 1)
      FROM generate_series(1, char_length(k)) AS i
     WHERE char_length(k) BETWEEN 2 AND 21
$$;

-- Records the variants of the keys of the rows a statement inserted or updated. A key is recorded with all its
-- variants in one statement, so a key already present as its own variant needs nothing more: one probe per distinct
-- key, and an update that leaves the names alone (a status change, a bulk freeze) inserts nothing. Keys that no
-- customer holds any more stay: the search checks the name indexes for every key it finds here.
CREATE FUNCTION firebreak_record_name_variants() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_name_variant (variant, key)
  SELECT v, k
    FROM (SELECT DISTINCT k FROM changed_rows, unnest(ARRAY[name_key, kana_key, family_name_key, family_kana_key]) AS k
           WHERE k IS NOT NULL) keys
         CROSS JOIN LATERAL firebreak_name_variants(k) AS v
   WHERE NOT EXISTS (SELECT 1 FROM search_name_variant s WHERE s.variant = keys.k AND s.key = keys.k)
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;

-- A trigger with a transition table names one event, hence two. ALWAYS: the replay's bulk loader runs with
-- session_replication_role = replica, which skips ordinary triggers, and its customers must be found too.
CREATE TRIGGER customer_name_variants_insert AFTER INSERT ON customer
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION firebreak_record_name_variants();
CREATE TRIGGER customer_name_variants_update AFTER UPDATE ON customer
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION firebreak_record_name_variants();
ALTER TABLE customer ENABLE ALWAYS TRIGGER customer_name_variants_insert;
ALTER TABLE customer ENABLE ALWAYS TRIGGER customer_name_variants_update;

-- The customers already there.
INSERT INTO search_name_variant (variant, key)
SELECT DISTINCT v, k
  FROM (SELECT name_key AS k FROM customer UNION SELECT kana_key FROM customer
        UNION SELECT family_name_key FROM customer UNION SELECT family_kana_key FROM customer) keys
       CROSS JOIN LATERAL firebreak_name_variants(k) AS v
 WHERE k IS NOT NULL;
ANALYZE search_name_variant;

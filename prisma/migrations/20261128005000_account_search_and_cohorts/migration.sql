-- Issue 5: caller search keys and indexes, saved cohorts, account notes. See docs/decisions/011-search-normalisation-and-indexes.md.

-- Trigram indexes for fuzzy name matching. PostgreSQL ships pg_trgm in contrib; PGlite loads it as an extension
-- (app/db/open-database.server.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- The search key of a name: NFKC (full-width → half-width Latin and digits, half-width katakana → full-width), ASCII
-- letters lower-cased, hiragana folded to katakana, whitespace and punctuation removed. Deliberately locale-free
-- (explicit ranges and translate, not lower() or [[:punct:]]), so PostgreSQL and PGlite compute the same key.
-- Mirrored by app/accounts/search-key.ts; tests/integration/search-normalisation.test.ts checks that they agree.
CREATE FUNCTION firebreak_search_key(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(
    regexp_replace(normalize(value, NFKC), '[\s\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\u30fb\u3001\u3002\u300c\u300d]', '', 'g'),
    'ABCDEFGHIJKLMNOPQRSTUVWXYZぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔゕゖゝゞ',
    'abcdefghijklmnopqrstuvwxyzァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴヵヶヽヾ'
  );

-- The given name of "family given" (names are stored family name first, separated by a space); NULL without a space.
CREATE FUNCTION firebreak_given_name(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN nullif(substring(normalize(value, NFKC) from '^\s*\S+\s+(.*\S)\s*$'), '');

-- Generated, so every writer (the app, the replay's bulk loader, psql) keeps them right. COLLATE "C": byte order, so a
-- plain b-tree serves both equality and prefix (LIKE 'x%') lookups.
ALTER TABLE "customer"
  ADD COLUMN "name_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key("name")) STORED,
  ADD COLUMN "kana_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key("name_kana")) STORED,
  ADD COLUMN "given_name_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key(firebreak_given_name("name"))) STORED,
  ADD COLUMN "given_kana_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key(firebreak_given_name("name_kana"))) STORED,
  ADD COLUMN "email_key" text COLLATE "C" GENERATED ALWAYS AS (lower(normalize("email", NFKC))) STORED;

ALTER TABLE "device"
  ADD COLUMN "fingerprint_key" text COLLATE "C" GENERATED ALWAYS AS (lower("fingerprint")) STORED;

CREATE INDEX "customer_name_key_idx" ON "customer"("name_key");
CREATE INDEX "customer_kana_key_idx" ON "customer"("kana_key");
CREATE INDEX "customer_given_name_key_idx" ON "customer"("given_name_key");
CREATE INDEX "customer_given_kana_key_idx" ON "customer"("given_kana_key");
CREATE INDEX "customer_email_key_idx" ON "customer"("email_key");
CREATE INDEX "customer_name_key_trgm_idx" ON "customer" USING GIN ("name_key" gin_trgm_ops);
CREATE INDEX "customer_kana_key_trgm_idx" ON "customer" USING GIN ("kana_key" gin_trgm_ops);
CREATE INDEX "device_fingerprint_key_idx" ON "device"("fingerprint_key");

-- Saved cohorts: immutable snapshots.
CREATE TABLE "cohort" (
    "id" UUID NOT NULL,
    "incident_id" UUID,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "member_count" INTEGER NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cohort_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cohort_member" (
    "cohort_id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "risk_score" INTEGER NOT NULL,
    "reasons" JSONB NOT NULL,

    CONSTRAINT "cohort_member_pkey" PRIMARY KEY ("cohort_id","customer_id")
);

CREATE TABLE "account_note" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "case_id" UUID,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_note_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "cohort_incident_id_created_at_idx" ON "cohort"("incident_id", "created_at");
CREATE INDEX "cohort_created_at_idx" ON "cohort"("created_at");
CREATE INDEX "cohort_member_customer_id_idx" ON "cohort_member"("customer_id");
CREATE INDEX "account_note_customer_id_created_at_idx" ON "account_note"("customer_id", "created_at");
CREATE INDEX "account_note_case_id_created_at_idx" ON "account_note"("case_id", "created_at");

ALTER TABLE "cohort" ADD CONSTRAINT "cohort_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "account_note" ADD CONSTRAINT "account_note_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "account_note" ADD CONSTRAINT "account_note_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "incident_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Bounds the database holds whatever the writer.
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_name_length" CHECK (char_length("name") BETWEEN 1 AND 120);
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_member_count_non_negative" CHECK ("member_count" >= 0);
ALTER TABLE "cohort_member" ADD CONSTRAINT "cohort_member_risk_score_range" CHECK ("risk_score" BETWEEN 0 AND 100);
ALTER TABLE "account_note" ADD CONSTRAINT "account_note_body_length" CHECK (char_length("body") BETWEEN 1 AND 4000);

-- Append-only: a saved cohort is the record of whom a bulk action covered; a note is part of the case file.
CREATE TRIGGER cohort_append_only BEFORE UPDATE OR DELETE ON "cohort"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER cohort_no_truncate BEFORE TRUNCATE ON "cohort"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER cohort_member_append_only BEFORE UPDATE OR DELETE ON "cohort_member"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER cohort_member_no_truncate BEFORE TRUNCATE ON "cohort_member"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER account_note_append_only BEFORE UPDATE OR DELETE ON "account_note"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER account_note_no_truncate BEFORE TRUNCATE ON "account_note"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

-- Caller search by several facts at once (name + phone last 4, surname + birth year, email local part, card last 4):
-- generated keys for the facts a caller reads out, and indexes whose order serves both the filter and the page order,
-- so that every branch of the search reads about one page of index entries however common the name.

-- The family name: the part before the first space ("佐藤 翔太" → "佐藤"), NULL when the name has no space.
CREATE FUNCTION firebreak_family_name(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN nullif(substring(normalize(value, NFKC) from '^\s*(\S+)\s+\S'), '');

ALTER TABLE "customer"
  ADD COLUMN "family_name_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key(firebreak_family_name("name"))) STORED,
  ADD COLUMN "family_kana_key" text COLLATE "C" GENERATED ALWAYS AS (firebreak_search_key(firebreak_family_name("name_kana"))) STORED,
  ADD COLUMN "phone_last4" text COLLATE "C" GENERATED ALWAYS AS (right("phone", 4)) STORED,
  ADD COLUMN "email_local" text COLLATE "C" GENERATED ALWAYS AS (split_part(lower(normalize("email", NFKC)), '@', 1)) STORED,
  ADD COLUMN "email_domain" text COLLATE "C" GENERATED ALWAYS AS (split_part(lower(normalize("email", NFKC)), '@', 2)) STORED;

-- Name + birth date: equality on the key, then the birth date range, then id for keyset pages.
CREATE INDEX "customer_name_key_birth_idx" ON "customer"("name_key", "birth_date", "id");
CREATE INDEX "customer_kana_key_birth_idx" ON "customer"("kana_key", "birth_date", "id");
CREATE INDEX "customer_family_name_key_birth_idx" ON "customer"("family_name_key", "birth_date", "id");
CREATE INDEX "customer_family_kana_key_birth_idx" ON "customer"("family_kana_key", "birth_date", "id");
-- Rare facts: each value is shared by about one customer in ten thousand.
CREATE INDEX "customer_phone_last4_idx" ON "customer"("phone_last4");
CREATE INDEX "customer_birth_date_idx" ON "customer"("birth_date");
CREATE INDEX "customer_email_local_idx" ON "customer"("email_local");
CREATE INDEX "customer_email_domain_idx" ON "customer"("email_domain", "id");
CREATE INDEX "funding_source_last4_idx" ON "funding_source"("last4");

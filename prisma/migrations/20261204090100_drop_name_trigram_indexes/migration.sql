-- The caller search no longer has a trigram fallback (one-typo neighbours are probed on the b-tree keys instead): its
-- GIN indexes only cost writes, bulk loads and disk. The pg_trgm extension stays: an earlier migration creates it.
DROP INDEX IF EXISTS "customer_name_key_trgm_idx";
DROP INDEX IF EXISTS "customer_kana_key_trgm_idx";

import type { SqlRunner } from "~/db/migrations.server";

/** What the search needs of a database connection: one query at a time (a pool, or one transaction's connection). */
export type SearchSql = Pick<SqlRunner, "query">;

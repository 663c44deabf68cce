// Prisma's `$queryRaw` tagged-template shape, run on the driver (node-postgres or PGlite directly): the same SQL with
// bind parameters, without Prisma's per-call cost (docs/decisions/014-hot-paths-on-the-driver.md and 042). Rows come
// back as the driver returns them: bigint and numeric as strings on node-postgres (callers wrap them in Number()),
// timestamptz as Date; select `date` columns as text (the driver would read them as local midnight).
import { query, type SqlRunner } from "~/db/sql-runner.server";

export interface RawReader {
  $queryRaw<T = unknown>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T>;
}

export function driverReader(sql: Pick<SqlRunner, "query">): RawReader {
  return {
    async $queryRaw<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<T> {
      const text = strings.reduce((all, part, i) => `${all}$${i}${part}`);
      return (await query(sql, text, values)) as T;
    },
  };
}

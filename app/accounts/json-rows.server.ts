// A read folded into a column of one statement: the rows of `select` as one JSON array (an empty one when there are
// none), so a page's independent reads cost one round trip, one plan and one row to parse instead of one each
// (docs/decisions/052-one-statement-per-account-view.md). json_agg keeps the order of a sorted subquery it reads
// directly. Inside the JSON, timestamptz values are ISO 8601 strings with an offset and bigint values are numbers.
import { Prisma } from "~/generated/prisma/client";

export function jsonRows(select: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(SELECT COALESCE(json_agg(r), '[]'::json) FROM (${select}) r)`;
}

/** A JSON column's timestamp (an ISO string) or a driver's Date, as an ISO string in UTC. */
export const isoOf = (value: Date | string) => new Date(value).toISOString();

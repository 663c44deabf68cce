// The audit pages' reads on the process-wide database. The functions they wrap take the database (or its SqlRunner)
// as an argument so that the CLI, the benchmarks and tests can run them on a database of their own; routes never
// import ~/db.server, so they call these.
import type { AuditFilter } from "~/audit/audit-filter";
import { loadFilterChoices, readHeadSeq, resolveAuditFilter, searchAuditLog } from "~/audit/audit-search.server";
import { listCheckpoints } from "~/audit/checkpoint.server";
import { verifyAuditTrail } from "~/audit/verify-trail.server";
import { database } from "~/db.server";

export function loadAuditFilterChoices() {
  return loadFilterChoices(database.sql);
}

export function resolveAuditFilterOnConsole(filter: AuditFilter) {
  return resolveAuditFilter(database.sql, filter);
}

export function searchAuditLogOnConsole(
  ...args: Parameters<typeof searchAuditLog> extends [unknown, ...infer Rest] ? Rest : never
) {
  return searchAuditLog(database, ...args);
}

export function readAuditHeadSeq() {
  return readHeadSeq(database.sql);
}

export function listRecentCheckpoints(limit: number) {
  return listCheckpoints(database.sql, { limit });
}

export function verifyAuditTrailOnConsole(options: Parameters<typeof verifyAuditTrail>[1]) {
  return verifyAuditTrail(database.sql, options);
}

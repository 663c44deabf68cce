// Two members saving the same version of a regulator report at the same moment (PostgreSQL: concurrency is only real
// there). Neither sees the other's uncommitted version, so both pass the version check; the unique (incident, kind,
// version) index refuses the second. It must be told someone saved meanwhile (REPORT_CHANGED), not shown a 500, and
// the trail must say so rather than record an internal error. The race is made certain by holding the other save's
// row uncommitted until this save waits on it.
import { describe, expect, it } from "vitest";
import pg from "pg";
import { prisma } from "~/db.server";
import { draftReport, saveReportVersion } from "~/incidents/breach-report/reports.server";
import { untilSomeoneWaitsOnALock } from "../support/database-sessions";
import { createIncident, createStaffContext } from "../support/ledger-fixtures";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const ONE_DAY = 24 * 60 * 60 * 1000;

describe.skipIf(!onPostgres)("a regulator report saved twice at once (PostgreSQL)", () => {
  it("refuses the second save as changed meanwhile, audited with that reason", async () => {
    const incident = await createIncident(prisma, new Date(Date.now() - 2 * ONE_DAY));
    const compliance = await createStaffContext(prisma, "COMPLIANCE");
    const { id } = await draftReport(compliance, {
      incidentId: incident.id,
      kind: "PRELIMINARY",
      learnedAt: new Date(incident.openedAt.getTime() + ONE_DAY),
      unauthorizedIntent: false,
    });
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // The other member's save of version 2, written and not yet committed.
      await other.query("BEGIN");
      await other.query(`CREATE TEMP TABLE other_save ON COMMIT DROP AS SELECT * FROM breach_report WHERE id = $1`, [
        id,
      ]);
      await other.query(`UPDATE other_save SET id = gen_random_uuid(), version = 2`);
      await other.query(`INSERT INTO breach_report SELECT * FROM other_save`);

      const base = await prisma.breachReport.findUniqueOrThrow({ where: { id } });
      const racing = saveReportVersion(compliance, { reportId: id, baseVersion: 1, items: base.items });
      void racing.catch(() => undefined);
      await untilSomeoneWaitsOnALock("the save to wait on the other version");
      await other.query("COMMIT");
      await expect(racing).rejects.toMatchObject({ code: "REPORT_CHANGED", params: { latest: 2, base: 1 } });
    } finally {
      await other.end();
    }
    const failed = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "breach-report.save", targetId: id, outcome: "FAILED" },
    });
    expect(failed.after).toMatchObject({ error: expect.stringContaining("REPORT_CHANGED") });
    expect(await prisma.breachReport.count({ where: { incidentId: incident.id } })).toBe(2);
  });
});

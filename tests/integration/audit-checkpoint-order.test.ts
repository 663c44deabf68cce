// A checkpoint's row number is compared as a number, not as text: once the trail passes row 9, the checkpoint at row 10
// is newer than the one at row 9. Read as text ("9" > "10"), the newest checkpoint was taken to be an old one, so an
// unchanged head was signed again every few seconds (re-verifying from that old row each time), and the integrity
// page listed old checkpoints before recent ones.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signCheckpoint } from "~/audit/checkpoint-service.server";
import { listRecentCheckpoints } from "~/audit/console-reads.server";
import { recordAuditEvent } from "~/audit/perform-action.server";
import { database } from "~/db.server";

async function writeRows(n: number) {
  for (let i = 0; i < n; i++) {
    await recordAuditEvent({
      actor: { kind: "system", id: "system:test" },
      origin: { ip: null, userAgent: null, requestId: null },
      action: "test.checkpoint-order",
      outcome: "SUCCESS",
      targetId: randomUUID(),
    });
  }
}

async function headSeq(): Promise<string> {
  const { rows } = await database.sql.query<{ seq: string }>(
    "SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event",
  );
  return rows[0]!.seq;
}

describe("checkpoints past row 9", () => {
  it("are ordered by row number: an unchanged head is not signed again, and the newest is listed first", async () => {
    // A checkpoint at row 9, then one at row 12: as text, "9" sorts after "12".
    expect(Number(await headSeq())).toBeLessThan(9);
    await writeRows(9 - Number(await headSeq()));
    expect((await signCheckpoint(database, "schedule")).status).toBe("created");
    await writeRows(3);
    expect(await headSeq()).toBe("12");
    expect((await signCheckpoint(database, "schedule")).status).toBe("created");

    expect((await signCheckpoint(database, "schedule")).status).toBe("unchanged");
    const listed = await listRecentCheckpoints(10);
    expect(listed.map((cp) => cp.seq)).toEqual(["12", "9"]);
  });
});

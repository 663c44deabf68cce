// `npm run simulate` end to end, as a separate process on this file's PostgreSQL database: its top-ups are refused
// while a top-up switch is engaged. And it refuses, with instructions, to open the embedded database by default.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { engageSwitch } from "~/killswitch/engage.server";
import { approveRelease, requestRelease } from "~/killswitch/release.server";
import { holdKillSwitchTestLock } from "../support/kill-switch-lock";
import { onFile } from "../support/staff";

const run = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
const SIMULATE = path.resolve("scripts/simulate.ts");
const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";

function lead(): KillSwitchContext {
  return {
    actor: { kind: "staff", id: randomUUID(), role: "SECURITY_LEAD" },
    origin: { ip: null, userAgent: "vitest", requestId: null },
    steppedUpAt: new Date(),
  };
}

let releaseLock: () => Promise<void>;
beforeAll(async () => {
  releaseLock = await holdKillSwitchTestLock();
});
afterAll(async () => {
  await releaseLock();
});

describe("npm run simulate", () => {
  it("explains why it will not open the embedded database unless told to", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development", DATABASE_URL: "" };
    const failed = await run(TSX, [SIMULATE, "--count", "1"], { env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("PGlite");
    expect(failed?.stderr).toContain("DATABASE_URL=postgresql://");
  });

  it.skipIf(!onPostgres)("prints one refused line per top-up while topup.all is engaged", async () => {
    await engageSwitch(lead(), { key: "topup.all", reason: "simulator test" });
    try {
      const { stdout } = await run(
        TSX,
        [SIMULATE, "--count", "5", "--interval", "0", "--no-purchases", "--customers", "2", "--no-color"],
        { env: { ...process.env, NODE_ENV: "development" } as NodeJS.ProcessEnv },
      );
      const attempts = stdout.split("\n").filter((line) => / top-up /.test(line));
      expect(attempts).toHaveLength(5);
      for (const line of attempts)
        expect(line).toMatch(/✗ top-up .* TOPUP_SUSPENDED {2}Top-ups are temporarily suspended/);
      expect(stdout).toContain("5 attempts: 0 accepted, refused: TOPUP_SUSPENDED ×5");
    } finally {
      const request = await requestRelease(await onFile(lead()), { key: "topup.all", reason: "test over" });
      await approveRelease(lead(), { requestId: request.id });
    }
  });
});

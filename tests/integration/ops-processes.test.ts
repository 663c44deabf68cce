// Two web processes and two worker processes against one PostgreSQL, started as an operator starts them
// (scripts/start.ts --role web, scripts/worker.ts): every message delivered once, no checkpoint signed twice, a switch
// change seen by both web processes, all four ready, and all four stop cleanly on SIGTERM (exit 0, heartbeats gone).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { engageSwitch } from "~/killswitch/engage.server";
import { dedupeHeaderOf } from "~/notify/dedupe";
import { enqueueNotices } from "~/notify/notices.server";
import { staffContext } from "../support/staff";
import { createIncident, createVictims } from "../support/notify-fixtures";
import { SmtpSink, waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const STARTUP_TIMEOUT_MS = 90_000;

interface Child {
  process: ChildProcess;
  port: number;
  exited: Promise<number | null>;
}

function start(script: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(script), ...args], {
    env: { ...process.env, NODE_ENV: "test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), STARTUP_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = ready.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, port: Number(match[1]), exited });
      }
    });
    void exited.then((code) => reject(new Error(`${script} exited early (${code})`)));
  });
}

describe.skipIf(!onPostgres)("two web and two worker processes on one PostgreSQL", () => {
  let sink: SmtpSink;
  const children: Child[] = [];

  beforeAll(async () => {
    sink = await SmtpSink.start();
    const env = {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(sink.port),
      SMTP_SECURE: "false",
      NOTIFY_SEND_RATE: "0",
      FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS: "1000",
    };
    const web = /Firebreak console on http:\/\/127\.0\.0\.1:(\d+)/;
    const worker = /probes and metrics on port (\d+)/;
    children.push(
      ...(await Promise.all([
        start("scripts/start.ts", ["--role", "web", "--port", "0", "--no-seed"], env, web),
        start("scripts/start.ts", ["--role", "web", "--port", "0", "--no-seed"], env, web),
        start("scripts/worker.ts", ["--port", "0"], env, worker),
        start("scripts/worker.ts", ["--port", "0"], env, worker),
      ])),
    );
  }, STARTUP_TIMEOUT_MS * 2);

  afterAll(async () => {
    for (const child of children) if (child.process.exitCode === null) child.process.kill("SIGKILL");
    await sink?.stop();
  });

  const get = (child: Child, pathname: string) => fetch(`http://127.0.0.1:${child.port}${pathname}`);

  it("all four are ready: database, migrations and both workers' heartbeats", async () => {
    await waitFor("two heartbeats", async () => (await prisma.workerHeartbeat.count()) === 2);
    // Each process's first readiness check opens a connection and reads the migration table within the check's 2 s,
    // which a loaded machine can exceed once (503): ready means each of them turns 200.
    for (const child of children) {
      await waitFor(`/readyz of ${child.port} to answer 200`, async () => (await get(child, "/readyz")).status === 200);
    }
    // Worker processes serve only the probes and metrics.
    expect((await get(children[2]!, "/sign-in")).status).toBe(404);
    expect((await get(children[0]!, "/sign-in")).status).toBe(200);
  });

  it("delivers every message exactly once and never signs the same head twice", async () => {
    const incident = await createIncident("CONTAINED");
    await createVictims(incident.id, 40);
    await enqueueNotices(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      incidentId: incident.id,
      template: "incident-update",
    });
    const rows = await prisma.outboundMessage.findMany({ where: { incidentId: incident.id } });
    expect(rows).toHaveLength(40);
    await waitFor(
      "every message sent",
      async () => (await prisma.outboundMessage.count({ where: { incidentId: incident.id, status: "SENT" } })) === 40,
      60_000,
    );
    for (const row of rows) expect(sink.countByKey(dedupeHeaderOf(row.dedupeKey))).toBe(1);
    await waitFor("a checkpoint", async () => (await prisma.auditCheckpoint.count()) > 0, 30_000);
    const twice = await prisma.$queryRawUnsafe<unknown[]>(
      `SELECT seq FROM audit_checkpoint GROUP BY seq HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
  });

  it("a switch engaged through one process is seen by both web processes at once", async () => {
    const metricLine = async (child: Child) =>
      (await (await get(child, "/metrics")).text()).match(
        /firebreak_kill_switch_engaged\{key="topup.bank"\} (\d)/,
      )?.[1];
    expect(await metricLine(children[0]!)).toBe("0");
    await engageSwitch(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      key: "topup.bank",
      reason: "cross-process visibility",
    });
    expect(await metricLine(children[0]!)).toBe("1");
    expect(await metricLine(children[1]!)).toBe("1");
  });

  it("each stops on SIGTERM with exit 0 and removes its heartbeat", async () => {
    for (const child of children) child.process.kill("SIGTERM");
    expect(await Promise.all(children.map((c) => c.exited))).toEqual([0, 0, 0, 0]);
    expect(await prisma.workerHeartbeat.count()).toBe(0);
  }, 60_000);
});

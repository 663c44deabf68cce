// `npm start` with FIREBREAK_WEB_PROCESSES=2 on PostgreSQL: one primary (database preparation and the background
// workers, once) and two web processes sharing one port. Both serve requests (told apart by the pid in each request's
// log line), a switch engaged elsewhere is seen through both at once, /metrics answers for both wherever the scrape
// lands, the workers run in one process only (one heartbeat), and SIGTERM stops everything with exit 0.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import type { KillSwitchContext } from "~/killswitch/context.server";
import { engageSwitch } from "~/killswitch/engage.server";
import { createServiceToken } from "~/killswitch/service-tokens.server";
import { waitFor } from "../support/smtp-sink";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const STARTUP_TIMEOUT_MS = 120_000;
const REQUESTS = 24;

const staff = (role: "ADMIN" | "SECURITY_LEAD"): KillSwitchContext => ({
  actor: { kind: "staff", id: randomUUID(), role },
  origin: { ip: "127.0.0.1", userAgent: "vitest", requestId: "req-web-processes" },
  steppedUpAt: new Date(),
});

interface Answer {
  status: number;
  body: string;
  requestId: string;
}

/** One request on a connection of its own, so the primary may hand it to either web process. */
function fresh(port: number, pathname: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: "127.0.0.1", port, path: pathname, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          requestId: String(response.headers["x-request-id"]),
        }),
      );
    });
    request.on("error", reject);
  });
}

describe.skipIf(!onPostgres)("several web processes behind one port", () => {
  let child: ChildProcess;
  let exited: Promise<number | null>;
  let port = 0;
  const lines: string[] = [];
  /** The pid that logged each request ID. */
  const servedBy = new Map<string, number>();

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      ["--import", "tsx", path.resolve("scripts/start.ts"), "--role", "all", "--port", "0", "--no-seed"],
      {
        env: { ...process.env, NODE_ENV: "test", FIREBREAK_WEB_PROCESSES: "2", FIREBREAK_LOG_LEVEL: "info" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    child.stderr!.resume();
    exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the console did not start")), STARTUP_TIMEOUT_MS);
      void exited.then((code) => reject(new Error(`start.ts exited early (${code})`)));
      createInterface({ input: child.stdout! }).on("line", (line) => {
        lines.push(line);
        if (line.startsWith("{")) {
          const entry = JSON.parse(line) as { requestId?: string; pid?: number };
          if (entry.requestId && entry.pid) servedBy.set(entry.requestId, entry.pid);
        }
        const match = /Firebreak console on http:\/\/127\.0\.0\.1:(\d+) \(role: all, 2 web processes\)/.exec(line);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
  }, STARTUP_TIMEOUT_MS + 10_000);

  afterAll(() => {
    if (child?.exitCode === null) child.kill("SIGKILL");
  });

  const pidsOf = async (answers: Answer[]) => {
    await waitFor("every request logged", async () => answers.every((a) => servedBy.has(a.requestId)));
    return new Set(answers.map((a) => servedBy.get(a.requestId)));
  };

  it("two web processes, neither of them the primary, serve the requests; the workers run once", async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < REQUESTS; i++) answers.push(await fresh(port, "/sign-in"));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    const pids = await pidsOf(answers);
    expect(pids.size).toBe(2);
    expect(pids.has(child.pid!)).toBe(false);
    await waitFor("the primary's heartbeat", async () => (await prisma.workerHeartbeat.count()) === 1);
    expect(await prisma.workerHeartbeat.count()).toBe(1);
    // A web process's first readiness check opens its pool's connection and reads the migration table, each within
    // the check's 2 s; on a loaded machine that can run out once and answer 503. Ready means it turns 200.
    let readiness: Answer | undefined;
    await waitFor("/readyz to answer 200", async () => (readiness = await fresh(port, "/readyz")).status === 200);
    expect(readiness?.body).toContain('"ready":true');
  });

  it("a switch engaged through the spine is seen by both web processes at once", async () => {
    const { token } = await createServiceToken(staff("ADMIN"), {
      serviceName: `web-processes-${randomUUID().slice(0, 6)}`,
    });
    const board = async () => {
      const answer = await fresh(port, "/api/v1/kill-switches", { authorization: `Bearer ${token}` });
      expect(answer.status).toBe(200);
      const document = JSON.parse(answer.body) as { switches: { key: string; engaged: boolean }[] };
      return { answer, engaged: document.switches.find((s) => s.key === "topup.bank")?.engaged };
    };
    expect((await board()).engaged).toBe(false);
    await engageSwitch(staff("SECURITY_LEAD"), { key: "topup.bank", reason: "seen by every web process" });
    const after = [];
    for (let i = 0; i < REQUESTS; i++) after.push(await board());
    expect(after.map((a) => a.engaged)).toEqual(after.map(() => true));
    expect((await pidsOf(after.map((a) => a.answer))).size).toBe(2);
  });

  it("/metrics answers for both processes, whichever of them takes the scrape", async () => {
    const count = (text: string) =>
      Number(
        /firebreak_http_request_duration_seconds_count\{method="GET",route="\/sign-in",status="200"\} (\d+)/.exec(
          text,
        )?.[1],
      );
    const scrapes: Answer[] = [];
    for (let i = 0; i < 6; i++) scrapes.push(await fresh(port, "/metrics"));
    expect((await pidsOf(scrapes)).size).toBe(2);
    // Every /sign-in request of the first test, counted once, in every scrape.
    for (const scrape of scrapes) expect(count(scrape.body)).toBe(REQUESTS);
    expect(scrapes[0]!.body).toMatch(/firebreak_kill_switch_engaged\{key="topup.bank"\} 1\n/);
    expect(scrapes[0]!.body).toMatch(/firebreak_database_up 1\n/);
  });

  it("SIGTERM drains both web processes and the workers, and exits 0", async () => {
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const drained = lines.filter((line) => /firebreak web \d+: drain requested by the primary/.test(line));
    expect(drained).toHaveLength(2);
    expect(await prisma.workerHeartbeat.count()).toBe(0);
    await expect(fresh(port, "/healthz")).rejects.toThrow();
  }, 60_000);
});

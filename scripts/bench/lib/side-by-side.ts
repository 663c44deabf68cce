// Two servers of the console in this one process, compared round by round (scripts/bench/page-builds.ts and
// request-pipeline.ts). Each round sends the same --requests requests to each server in turn, --concurrency at a
// time, the first server alternating round by round, so a busy machine slows both alike; this process's CPU time per
// request (server and client: the client's share is the same for both) is kept per round, with each request's latency
// and the largest body of each kind.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { signInBenchMember } from "./bench-staff";
import { sampleCallers, type CallerSample } from "./callers";
import { median, percentile } from "./stats";

export interface SideBySideServer {
  label: string;
  port: number;
  cpuMsPerRequest: number[];
  latencies: number[];
  largestBody: Record<string, number>;
}

export interface BenchRequest {
  kind: string;
  path: string;
}

/** The bench's database, 200 callers drawn from it, and a signed-in agent's cookie (good on every server: one database). */
export async function benchCallersAndAgent(displayName: string) {
  const { getDatabase } = await import("~/db.server");
  const database = await getDatabase();
  const { startHttpApp } = await import("../../../tests/support/http-app");
  const { rows } = await database.sql.query<{ n: string }>(`SELECT count(*)::text AS n FROM customer`);
  const callers: CallerSample[] = await sampleCallers(database.sql, {
    customers: Number(rows[0]!.n),
    size: 200,
    seed: 11,
  });
  const signInApp = await startHttpApp({ mode: "production" });
  const member = await signInBenchMember(signInApp, { role: "AGENT", displayName, language: "ja" });
  await signInApp.close();
  return { database, callers, cookie: member.cookieHeader() };
}

export async function listenSideBySide(label: string, app: Express): Promise<SideBySideServer> {
  const server = await new Promise<http.Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  server.keepAliveTimeout = 65_000;
  return { label, port: (server.address() as AddressInfo).port, cpuMsPerRequest: [], latencies: [], largestBody: {} };
}

/** One warm-up round each (JIT, statement caches), then `rounds` measured rounds, alternating which server goes first. */
export async function compareSideBySide(options: {
  servers: SideBySideServer[];
  rounds: number;
  requests: number;
  concurrency: number;
  cookie: string;
  get: (port: number, path: string, cookie: string) => Promise<number>;
  /** The k-th request of the run: the same k gives both servers the same request. */
  requestAt: (k: number) => BenchRequest;
}): Promise<void> {
  const { servers, requests, concurrency } = options;
  const runRound = async (server: SideBySideServer, first: number, record: boolean) => {
    let sent = 0;
    const cpu = process.cpuUsage();
    const client = async () => {
      while (sent < requests) {
        const request = options.requestAt(first + sent);
        sent += 1;
        const started = performance.now();
        const bytes = await options.get(server.port, request.path, options.cookie);
        if (record) {
          server.latencies.push(performance.now() - started);
          server.largestBody[request.kind] = Math.max(server.largestBody[request.kind] ?? 0, bytes);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    const used = process.cpuUsage(cpu);
    if (record) server.cpuMsPerRequest.push((used.user + used.system) / 1000 / requests);
  };
  for (const server of servers) await runRound(server, 0, false);
  for (let round = 0; round < options.rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const server of order) await runRound(server, (round + 1) * requests, true);
  }
}

/** Each server's figures, then the second's CPU against the first's. */
export function reportSideBySide(servers: SideBySideServer[], ratioLabel: string): void {
  for (const server of servers) {
    const latencies = [...server.latencies].sort((a, b) => a - b);
    const bodies = Object.entries(server.largestBody)
      .map(([kind, bytes]) => `${kind} ${bytes} B`)
      .join(", ");
    console.log(
      `${server.label}: CPU per request ${median(server.cpuMsPerRequest).toFixed(3)} ms (rounds ` +
        `${server.cpuMsPerRequest.map((ms) => ms.toFixed(2)).join(" ")}) · p50 ${percentile(latencies, 50).toFixed(1)} ms ` +
        `· p95 ${percentile(latencies, 95).toFixed(1)} ms · largest body: ${bodies}`,
    );
  }
  const [first, second] = servers as [SideBySideServer, SideBySideServer];
  // Each round's two figures were measured back to back: their ratio is the least disturbed by the machine's load.
  const paired = second.cpuMsPerRequest.map((ms, round) => ms / first.cpuMsPerRequest[round]!);
  console.log(
    `${ratioLabel}: CPU ×${(median(second.cpuMsPerRequest) / median(first.cpuMsPerRequest)).toFixed(3)} (medians), ` +
      `×${median(paired).toFixed(3)} (median of the rounds' ratios)`,
  );
}

// The console as an operator starts it, for a benchmark that drives it over HTTP: `scripts/start.ts --role web` in
// production mode with FIREBREAK_WEB_PROCESSES web processes sharing one port (ADR 042, several web processes). The
// benchmark signs its staff in with the same TOTP key, so it must set FIREBREAK_TOTP_KEY in its own
// environment before importing the staff fixtures; this module does that when imported.
import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import path from "node:path";
import { createInterface } from "node:readline";
import { treeCpuMs } from "./process-cpu";

process.env.FIREBREAK_TOTP_KEY ??= randomBytes(32).toString("base64");

export interface ConsoleProcesses {
  baseUrl: string;
  origin: string;
  mode: "production";
  /** The primary's process id: the web processes are its children. */
  pid: number;
  /** CPU time (user + system, ms) the primary and its web processes have used so far (Linux). */
  cpuMs(): number;
  close(): Promise<void>;
}

/** Starts the console on `port` with `processes` web processes and resolves once it listens. */
export function startConsoleProcesses(options: {
  databaseUrl: string;
  port: number;
  processes: number;
  /** Where each process writes a V8 CPU profile when it exits (node's --cpu-prof; the web processes inherit it). */
  cpuProfileDir?: string;
}): Promise<ConsoleProcesses> {
  // Production refuses to sign audit checkpoints and exports without a key: a throwaway Ed25519 one.
  const signingKey = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      "--import",
      "tsx",
      path.resolve("scripts/start.ts"),
      "--role",
      "web",
      "--port",
      String(options.port),
      "--no-seed",
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: options.databaseUrl,
        FIREBREAK_WEB_PROCESSES: String(options.processes),
        FIREBREAK_COOKIE_SECRET: randomBytes(32).toString("base64"),
        FIREBREAK_AUDIT_SIGNING_KEY: signingKey,
        FIREBREAK_INSECURE_COOKIES: "1",
        PUBLIC_BASE_URL: `http://127.0.0.1:${options.port}`,
        FIREBREAK_TRUST_PROXY: "1",
        FIREBREAK_LOG_LEVEL: "warn",
        // The benchmarks price the pages, not the per-member read budget (app/auth/read-budget.server.ts).
        FIREBREAK_STAFF_READS_PER_HOUR: "0",
        FIREBREAK_STAFF_EXPORTS_PER_HOUR: "0",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const baseUrl = `http://127.0.0.1:${options.port}`;
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`the console exited before listening (${code})`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("Firebreak console on ")) return;
      resolve({
        baseUrl,
        origin: baseUrl,
        mode: "production",
        pid: child.pid!,
        cpuMs: () => treeCpuMs(child.pid!),
        close: async () => {
          child.kill("SIGTERM");
          await exited;
        },
      });
    });
  });
}

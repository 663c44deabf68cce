// SIGTERM to a web process while staff have the console open: every open page holds the alert banner's event stream,
// which never ends on its own. The process must end those streams when it drains (the browser reconnects to another
// process), so it finishes its shutdown and exits 0 well within its deadline instead of waiting the deadline out and
// exiting 1. PostgreSQL only: a web process of its own needs a database other processes can share.
import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import type { TestHttpApp } from "../support/http-app";
import { createStaff, signIn } from "../support/staff";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
const DEADLINE_MS = 15_000;

describe.skipIf(!onPostgres)("a web process told to stop while event streams are open (PostgreSQL)", () => {
  it("ends the streams, drains and exits 0 within its deadline", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.resolve("scripts/start.ts"), "--role", "web", "--port", "0", "--no-seed"],
      {
        env: {
          ...process.env,
          NODE_ENV: "test",
          FIREBREAK_WEB_PROCESSES: "1",
          FIREBREAK_SHUTDOWN_TIMEOUT_MS: String(DEADLINE_MS),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the web process did not start: ${output}`)), 90_000);
        createInterface({ input: child.stdout! }).on("line", (line) => {
          output += `${line}\n`;
          const match = /Firebreak console on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      const baseUrl = `http://127.0.0.1:${port}`;
      const app: TestHttpApp = { baseUrl, origin: baseUrl, mode: "development", close: async () => undefined };
      const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
      const streams = await Promise.all(
        [1, 2].map(() => lead.request("/alerts/stream", { headers: { accept: "text/event-stream" } })),
      );
      expect(streams.map((s) => s.status)).toEqual([200, 200]);
      // Each stream is read to its end: it ends when the process drains.
      const ended = streams.map(async (stream) => {
        const reader = stream.body!.getReader();
        try {
          while (!(await reader.read()).done);
        } catch {
          // A stream cut by the process going away ends the same for the browser.
        }
      });

      child.kill("SIGTERM");
      const code = await exited;
      await Promise.all(ended);
      // Exit 0 is the proof of a prompt drain: a process still waiting on an open stream at the deadline exits 1.
      expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  }, 150_000);
});

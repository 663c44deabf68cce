import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnv, webProcessCount } from "~/env.server";

describe("environment", () => {
  it("accepts no DATABASE_URL (embedded) and a postgresql:// URL", () => {
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(parseEnv({ DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" }).DATABASE_URL).toBe(
      "postgresql://u@127.0.0.1:5432/db",
    );
  });

  it("web processes: one per CPU in production on PostgreSQL, one elsewhere, always one on the embedded database", () => {
    const pg = { DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" };
    const prod = { ...pg, NODE_ENV: "production", FIREBREAK_TOTP_KEY: "A".repeat(43) + "=" };
    const secret = { FIREBREAK_COOKIE_SECRET: "c".repeat(32), PUBLIC_BASE_URL: "https://firebreak.example.co.jp" };
    expect(webProcessCount(parseEnv({ ...prod, ...secret }), 4)).toBe(4);
    expect(webProcessCount(parseEnv({ ...prod, ...secret, FIREBREAK_WEB_PROCESSES: "3" }), 4)).toBe(3);
    expect(webProcessCount(parseEnv(pg), 4)).toBe(1);
    expect(webProcessCount(parseEnv({ ...pg, FIREBREAK_WEB_PROCESSES: "2" }), 4)).toBe(2);
    expect(webProcessCount(parseEnv({ FIREBREAK_WEB_PROCESSES: "2" }), 4)).toBe(1);
    expect(() => parseEnv({ FIREBREAK_WEB_PROCESSES: "0" })).toThrow(/^Invalid environment: FIREBREAK_WEB_PROCESSES/);
  });

  it("the worker's probe port: none unless FIREBREAK_WORKER_PORT names one, and a bad one is refused", () => {
    expect(parseEnv({}).FIREBREAK_WORKER_PORT).toBeUndefined();
    expect(parseEnv({ FIREBREAK_WORKER_PORT: "9464" }).FIREBREAK_WORKER_PORT).toBe(9464);
    expect(() => parseEnv({ FIREBREAK_WORKER_PORT: "http" })).toThrow(/^Invalid environment: FIREBREAK_WORKER_PORT/);
    expect(() => parseEnv({ FIREBREAK_WORKER_PORT: "70000" })).toThrow(/^Invalid environment: FIREBREAK_WORKER_PORT/);
  });

  it.each(["mysql://u@h/db", "not a url", "postgresql://"])("rejects DATABASE_URL=%s with one clear line", (value) => {
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(EnvironmentError);
    expect(() => parseEnv({ DATABASE_URL: value })).toThrow(/^Invalid environment: DATABASE_URL must look like/);
  });

  it("start-up with a malformed DATABASE_URL prints one line and exits 1, no stack trace", () => {
    const result = spawnSync("npx", ["tsx", "scripts/db-migrate.ts"], {
      env: { ...process.env, DATABASE_URL: "mysql://root@localhost/x" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toEqual([
      "firebreak: Invalid environment: DATABASE_URL must look like postgresql://user@host:5432/database",
    ]);
  });
});

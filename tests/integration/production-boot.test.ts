// Production never has public credentials: no demo staff, no printed secrets, no development cookie secret, and an
// empty embedded database refuses to start unless an empty start is asked for. Every setting goes through
// app/env.server.ts, so none of them escapes validation.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { describe, expect, it } from "vitest";
import { EnvironmentError, parseEnv } from "~/env.server";
import { planStartup } from "../../scripts/lib/prepare-database";
import { consoleListening } from "../support/console-listening";
import { freePort } from "../support/free-port";

const TOTP_KEY = Buffer.alloc(32, 7).toString("base64");
const COOKIE_SECRET = "a-production-cookie-secret-of-enough-length";
const BOOT_TIMEOUT_MS = 90_000;
// The refused start never listens; any port will do.
const REFUSED_PORT = 4202;

function productionEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: "",
    FIREBREAK_DATA_DIR: dataDir,
    FIREBREAK_TOTP_KEY: TOTP_KEY,
    FIREBREAK_COOKIE_SECRET: COOKIE_SECRET,
    PUBLIC_BASE_URL: "https://firebreak.example.co.jp",
    FIREBREAK_EMPTY_START: "",
    ...extra,
  };
}

function withDataDir<T>(run: (dataDir: string) => T): T {
  const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-prod-"));
  try {
    return run(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe("FIREBREAK_COOKIE_SECRET", () => {
  it("is refused in production when absent or short, like the TOTP key", () => {
    expect(() => parseEnv({ NODE_ENV: "production", FIREBREAK_TOTP_KEY: TOTP_KEY })).toThrow(
      /^Invalid environment: FIREBREAK_COOKIE_SECRET is required in production/,
    );
    expect(() =>
      parseEnv({ NODE_ENV: "production", FIREBREAK_TOTP_KEY: TOTP_KEY, FIREBREAK_COOKIE_SECRET: "short" }),
    ).toThrow(EnvironmentError);
    expect(
      parseEnv({
        NODE_ENV: "production",
        FIREBREAK_TOTP_KEY: TOTP_KEY,
        FIREBREAK_COOKIE_SECRET: COOKIE_SECRET,
        PUBLIC_BASE_URL: "https://firebreak.example.co.jp",
      }).FIREBREAK_COOKIE_SECRET,
    ).toBe(COOKIE_SECRET);
    expect(parseEnv({ NODE_ENV: "development" }).FIREBREAK_COOKIE_SECRET).toBeUndefined();
  });
  it("rejects flags other than 0 or 1 and malformed numbers with one clear line", () => {
    expect(() => parseEnv({ FIREBREAK_INSECURE_COOKIES: "yes" })).toThrow(
      /^Invalid environment: FIREBREAK_INSECURE_COOKIES must be "0" or "1"/,
    );
    expect(() => parseEnv({ FIREBREAK_REVERSAL_DAILY_CAP_YEN: "lots" })).toThrow(/must be a whole number of yen/);
    expect(() => parseEnv({ PORT: "http" })).toThrow(/^Invalid environment: PORT/);
  });
});

describe("PUBLIC_BASE_URL", () => {
  it("is refused in production when absent: mailed links would point at localhost", () => {
    const secrets = { NODE_ENV: "production", FIREBREAK_TOTP_KEY: TOTP_KEY, FIREBREAK_COOKIE_SECRET: COOKIE_SECRET };
    expect(() => parseEnv(secrets)).toThrow(/^Invalid environment: PUBLIC_BASE_URL is required in production/);
    expect(() => parseEnv({ ...secrets, PUBLIC_BASE_URL: "firebreak.example.co.jp" })).toThrow(EnvironmentError);
    expect(parseEnv({ ...secrets, PUBLIC_BASE_URL: "https://firebreak.example.co.jp" }).PUBLIC_BASE_URL).toBe(
      "https://firebreak.example.co.jp",
    );
    expect(parseEnv({ NODE_ENV: "development" }).PUBLIC_BASE_URL).toBeUndefined();
  });
});

describe("the start-up plan", () => {
  const base = { embedded: true, seedIfEmpty: true, hasWalletData: false, hasStaff: false, emptyStartAllowed: false };

  it("seeds demo data and demo staff only outside production", () => {
    expect(planStartup({ ...base, nodeEnv: "development" })).toBe("seed-and-demo-staff");
    expect(planStartup({ ...base, nodeEnv: "development", hasWalletData: true })).toBe("demo-staff");
    for (const state of [
      { hasWalletData: true, hasStaff: true },
      { hasWalletData: true, hasStaff: false },
      { hasWalletData: false, hasStaff: true },
    ])
      expect(planStartup({ ...base, ...state, nodeEnv: "production" })).toBe("nothing");
  });

  it("refuses an empty embedded production database unless an empty start is asked for", () => {
    expect(planStartup({ ...base, nodeEnv: "production" })).toBe("refuse-empty-production");
    expect(planStartup({ ...base, nodeEnv: "production", emptyStartAllowed: true })).toBe("nothing");
    expect(planStartup({ ...base, nodeEnv: "production", embedded: false })).toBe("nothing");
  });
});

describe("npm start in production", () => {
  it("refuses an empty embedded database in one line, printing no credentials", () => {
    withDataDir((dataDir) => {
      const result = spawnSync("npx", ["tsx", "scripts/start.ts", "--port", String(REFUSED_PORT), "--no-workers"], {
        env: productionEnv(dataDir),
        encoding: "utf8",
        timeout: BOOT_TIMEOUT_MS,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toEqual([expect.stringMatching(/^firebreak: production refuses an empty embedded database/)]);
      expect(result.stdout).not.toMatch(/firebreak\.demo|password|otpauth/i);
    });
  }, 120_000);

  it("starts empty on request, with no demo staff and no secrets printed", async () => {
    // A port of its own: the file runs in both Vitest stages of `npm test` at once.
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "firebreak-prod-"));
    const child = spawn(
      path.resolve("node_modules/.bin/tsx"),
      ["scripts/start.ts", "--port", String(port), "--no-workers"],
      { env: productionEnv(dataDir, { FIREBREAK_EMPTY_START: "1" }), stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      const output = await consoleListening(child, BOOT_TIMEOUT_MS);
      expect(output).not.toMatch(/firebreak\.demo|password|otpauth|seeding/i);
      expect((await fetch(`http://127.0.0.1:${port}/sign-in`)).status).toBe(200);
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      // Read the database the console left behind: no staff at all, so no demo credential can sign in.
      const db = new PGlite(dataDir);
      const { rows } = await db.query<{ count: number }>("select count(*)::int as count from staff_user");
      await db.close();
      expect(rows[0]!.count).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("environment access", () => {
  function sourceFiles(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === "generated" ? [] : sourceFiles(full);
      return /\.(ts|tsx)$/.test(name) ? [full] : [];
    });
  }

  it("goes through app/env.server.ts everywhere in the app and the start script", () => {
    const files = [...sourceFiles("app"), "scripts/start.ts", "scripts/staff-create-admin.ts"];
    const bypasses = files
      .filter((file) => path.normalize(file) !== path.normalize("app/env.server.ts"))
      .filter((file) => /process\.env\b/.test(readFileSync(file, "utf8").replace(/\/\/.*$/gm, "")));
    expect(bypasses).toEqual([]);
  });
});

// The documents (README, CONTRIBUTING, docs/) are claims about this repository; this test keeps the mechanical part of
// them true. A relative link, a path in the repository, a test file and the test titles quoted after it, an npm script
// or an ADR number that a document names must exist; the lists ADRs 014 and 019 keep, the README's configuration
// defaults and its production figures must match the code; an ADR amended by a later one, or whose open item a later
// one closed, must say so; code comments name only paths and ADRs that exist; nothing may point at a machine's paths
// or at tracker numbers that mean nothing in the repository. Migrations are exempt: a committed migration is never edited (its checksum is
// recorded where it was applied).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE } from "~/accounts/containment-budget";
import {
  CONSOLE_POOL_SIZE,
  CUSTOMER_AUTH_POOL_SIZE,
  READ_ONLY_POOL_SIZE,
  READ_ONLY_POOLS,
  WALLET_POOL_SIZE,
  WEB_PROCESS_CONNECTIONS,
  WORKER_PROCESS_CONNECTIONS,
} from "~/db/connection-budget";
import { PRODUCTION_STAFF_READS_PER_HOUR } from "~/env.server";
import { MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE } from "~/recovery/reset-budget";

const DECISIONS = "docs/decisions";
const SKIPPED_DIRS = new Set(["node_modules", "generated", "build", "data", "migrations", "screenshots"]);

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesUnder(full, pattern);
    return pattern.test(entry.name) ? [full] : [];
  });
}

const documents = ["README.md", "CONTRIBUTING.md", ...filesUnder("docs", /\.md$/)];
const sources = [
  ...["app", "scripts", "tests", ".ci"].flatMap((dir) => filesUnder(dir, /\.(ts|tsx|js|sh)$|^run$/)),
  ...readdirSync(".").filter((name) => /\.(ts|js)$/.test(name)),
  "prisma/schema.prisma",
];
const adrNumbers = new Set(readdirSync(DECISIONS).map((name) => name.slice(0, 3)));
const npmScripts = new Set(
  Object.keys((JSON.parse(readFileSync("package.json", "utf8")) as { scripts: object }).scripts),
);

/** `file:line: text` for every match of `pattern` (global) in `text`, so a failure names where to look. */
function findings(file: string, text: string, pattern: RegExp, keep: (match: RegExpExecArray) => string | null) {
  const found: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const problem = keep(match);
    if (problem === null) continue;
    const line = text.slice(0, match.index).split("\n").length;
    found.push(`${file}:${line}: ${problem}`);
  }
  return found;
}

function everyDocument(check: (file: string, text: string) => string[]): string[] {
  return documents.flatMap((file) => check(file, readFileSync(file, "utf8")));
}

/** The comments of a source file (line and block comments; good enough for this codebase's style). */
function comments(file: string): string {
  const text = readFileSync(file, "utf8");
  if (file.endsWith(".sh") || file.endsWith("/run")) return text.replace(/^(?!\s*#).*$/gm, "");
  return text.replace(/^(?:(?!\/\/|\/\*|^\s*\*).)*/gm, "");
}

// A path in the repository, as documents name them: `app/audit/perform-action.server.ts`, docs/decisions/….
// A scoped package (`@prisma/client`) is not a path. A path followed by a wildcard or a placeholder
// (`scripts/bench/*`, `app/<capability>/`) names a pattern, not a file.
const REPO_PATH = /(?<![\w/.~$@-])((?:app|tests|scripts|docs|prisma|public)\/[\w.$@/-]*)(.?)/g;

function missingPath(match: RegExpExecArray): string | null {
  const [, raw, next] = match;
  if (/^[*<{…[]$/.test(next!) || /\.\.\.|\/\//.test(raw!)) return null;
  const target = raw!.replace(/[.:,]+$/, "");
  if (/^\w+\/$/.test(target)) return null;
  return existsSync(target) ? null : `names ${target}, which does not exist`;
}

describe("documents", () => {
  it("finds the documents and the decisions", () => {
    expect(documents).toContain("docs/threat-model.md");
    expect(adrNumbers.has("003")).toBe(true);
  });

  it("link only to files that exist in the repository", () => {
    const broken = everyDocument((file, text) =>
      findings(file, text, /\]\(([^)\s]+)\)/g, ([, target]) => {
        if (/^(https?:|mailto:|#)/.test(target!)) return null;
        const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), target!.split("#")[0]!));
        if (resolved.startsWith("..")) return `links outside the repository: ${target}`;
        return existsSync(resolved) ? null : `links to ${target}, which does not exist`;
      }),
    );
    expect(broken).toEqual([]);
  });

  it("name only paths that exist", () => {
    expect(everyDocument((file, text) => findings(file, text, REPO_PATH, missingPath))).toEqual([]);
  });

  it("name only test files that exist, and only test titles those files hold", () => {
    const testFiles = new Map(
      filesUnder("tests", /\.(test|spec)\.ts$/).map((file) => [path.posix.basename(file), file]),
    );
    // `auth-password.test.ts` "no account enumeration", "per-address throttle" — a file, then the titles it proves.
    const named = /`(?:[\w./-]*\/)?([\w.-]+\.(?:test|spec)\.ts)`((?:\s*(?:\([^)]*\))?\s*,?\s*"[^"]+")*)/g;
    const wrong = everyDocument((file, text) =>
      findings(file, text, named, ([, name, titles]) => {
        const testFile = testFiles.get(name!);
        if (!testFile) return `names ${name}, which is not a test file`;
        const source = readFileSync(testFile, "utf8").replace(/\s+/g, " ");
        const missing = [...titles!.matchAll(/"([^"]+)"/g)]
          .map(([, title]) => title!.replace(/\s+/g, " "))
          .filter((t) => !source.includes(t));
        return missing.length === 0 ? null : `${name} has no test titled ${missing.join(", ")}`;
      }),
    );
    expect(wrong).toEqual([]);
  });

  it("name only npm scripts that package.json defines", () => {
    const unknown = everyDocument((file, text) =>
      findings(file, text, /\bnpm run ([\w:-]+)/g, ([, name]) =>
        npmScripts.has(name!) ? null : `npm run ${name} is not a script`,
      ),
    );
    expect(unknown).toEqual([]);
  });

  it("name only machine-independent paths", () => {
    const machinePaths = /(?<![\w.])\/(?:work|tmp|home|Users|root)\//g;
    expect(everyDocument((file, text) => findings(file, text, machinePaths, ([found]) => found!))).toEqual([]);
  });
});

describe("lists a document shares with the code", () => {
  it("the README's configuration table names every variable app/env.server.ts reads", () => {
    const variables = [...readFileSync("app/env.server.ts", "utf8").matchAll(/^ {2}([A-Z][A-Z0-9_]+): /gm)].map(
      ([, name]) => name!,
    );
    const readme = readFileSync("README.md", "utf8");
    const configuration = readme.slice(
      readme.indexOf("## Configuration"),
      readme.indexOf("\n## ", readme.indexOf("## Configuration") + 1),
    );
    expect(variables).toContain("DATABASE_URL");
    expect(configuration).toContain("| variable");
    expect(variables.filter((name) => !configuration.includes(`\`${name}\``))).toEqual([]);
  });

  it("the README's configuration table gives each variable the default app/env.server.ts gives it", () => {
    const source = readFileSync("app/env.server.ts", "utf8");
    const fields = source.slice(
      source.indexOf("const EnvFields"),
      source.indexOf("\n});", source.indexOf("const EnvFields")),
    );
    // Each field's text runs from its name to the next field's name; its default is what `.default(…)` holds, and a
    // `Flag` defaults to "0".
    const defaults = [...fields.matchAll(/^ {2}([A-Z][A-Z0-9_]+): ([\s\S]*?)(?=^ {2}[A-Z]|(?![\s\S]))/gm)].flatMap(
      ([, name, definition]) => {
        const given = /\.default\(([^)]*)\)/.exec(definition!)?.[1] ?? (/^Flag\b/.test(definition!) ? '"0"' : null);
        return given === null ? [] : [[name!, given.replace(/^"|"$/g, "").replace(/_/g, "")] as const];
      },
    );
    expect(defaults.map(([name]) => name)).toContain("FIREBREAK_DB_WAIT_MS");
    const rows = readFileSync("README.md", "utf8")
      .split("\n")
      .filter((line) => line.startsWith("| `"));
    const wrong = defaults.flatMap(([name, value]) => {
      const row = rows.find((line) => line.split("|")[1]!.includes(`\`${name}\``));
      const cell = row?.split("|")[2]?.replace(/,(?=\d{3})/g, "") ?? "";
      return cell.includes(value) ? [] : [`${name}: the code's default is ${value}, the README says "${cell.trim()}"`];
    });
    expect(wrong).toEqual([]);
  });

  it("the README's running-in-production figures are the code's", () => {
    const readme = readFileSync("README.md", "utf8").replace(/\s+/g, " ");
    const [web, worker] = [WEB_PROCESS_CONNECTIONS, WORKER_PROCESS_CONNECTIONS];
    const claims = [
      `pool of their own (${WALLET_POOL_SIZE} connections per process)`,
      `another pool of their own (${CUSTOMER_AUTH_POOL_SIZE} connections per process)`,
      `When all ${CUSTOMER_AUTH_POOL_SIZE} are busy`,
      `up to **${web}**: the console's Prisma pool ${CONSOLE_POOL_SIZE} and its driver pool ${CONSOLE_POOL_SIZE}, ` +
        `${READ_ONLY_POOLS === 2 ? "two" : READ_ONLY_POOLS} read-only search pools of ${READ_ONLY_POOL_SIZE}, ` +
        `the top-ups' ${WALLET_POOL_SIZE} and the customers' ${CUSTOMER_AUTH_POOL_SIZE}`,
      `A worker process holds up to **${worker}**`,
      `web processes × ${web} + worker processes × ${worker}, e.g. 2 hosts × 4 web processes and 2 workers: ` +
        `8 × ${web} + 2 × ${worker} = ${8 * web + 2 * worker}`,
      `carries 2 web processes and a worker (${2 * web + worker}), not 3 and a worker (${3 * web + worker})`,
      `\`FIREBREAK_WEB_PROCESSES\` × ${web} plus one worker's ${worker}`,
      `${PRODUCTION_STAFF_READS_PER_HOUR} customer-data reads an hour, ${PRODUCTION_STAFF_READS_PER_HOUR / 10} in any minute`,
      `past ${MEMBER_FORCED_RESETS_PER_HOUR_WITHOUT_CODE} different customers in an hour`,
      `past ${MEMBER_CONTAINMENTS_PER_HOUR_WITHOUT_CODE} different customers frozen or marked compromised in an hour`,
    ];
    expect(claims.filter((claim) => !readme.includes(claim))).toEqual([]);
  });

  it("ADR 019 names exactly the writers tests/unit/sanctioned-writers.test.ts allows", () => {
    const inAdr = [...readFileSync(`${DECISIONS}/019-sanctioned-writers.md`, "utf8").matchAll(/^\| `(app\/[^`]+)`/gm)];
    const inTest = [...readFileSync("tests/unit/sanctioned-writers.test.ts", "utf8").matchAll(/^\s+"(app\/[^"]+)":/gm)];
    expect(inTest.length).toBeGreaterThan(0);
    expect(inAdr.map(([, file]) => file).sort()).toEqual(inTest.map(([, file]) => file).sort());
  });

  it("ADR 014 names every module of app/ that runs SQL on the driver", () => {
    const adr = readFileSync(`${DECISIONS}/014-hot-paths-on-the-driver.md`, "utf8");
    // `app/accounts/caller-search.server.ts`, `app/audit/*`, `app/risk/backtest*.server.ts`
    const named = [...adr.matchAll(/`(app\/[^`]+)`/g)].map(
      ([, pattern]) => new RegExp(`^${pattern!.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`),
    );
    const onDriver = filesUnder("app", /\.tsx?$/).filter((file) =>
      /\bdatabase\.sql(Transaction)?\b|\bdriverReader\(/.test(readFileSync(file, "utf8")),
    );
    expect(onDriver).toContain("app/auth/session.server.ts");
    expect(onDriver.filter((file) => !named.some((pattern) => pattern.test(file)))).toEqual([]);
  });
});

// "ADR 013", "ADRs 040, 049", "ADR 004, 005", "ADRs 009 and 015", and file names under docs/decisions/.
const ADR_MENTION = /\bADRs? ((?:\d{3}(?:, | and | or |–|-)?)+)|docs\/decisions\/(\d{3})-/g;

function missingAdrs(match: RegExpExecArray): string | null {
  const numbers = match[2] ? [match[2]] : (match[1]!.match(/\d{3}/g) ?? []);
  const missing = numbers.filter((number) => !adrNumbers.has(number));
  return missing.length === 0 ? null : `cites ADR ${missing.join(", ")}, which does not exist`;
}

// An upstream project's issue, cited by its full address, is meaningful; a bare number is not.
const TRACKER = /(?<![\w/&])(?:issue|PR|pull request)[ -]?#?\d+|(?<![\w/&#])#\d{1,4}\b(?![\w-])/gi;

describe("the checks", () => {
  it("catch what they look for", () => {
    const text = "See `app/no-such-file.ts`, ADRs 003 and 998, issue 12 and (#7).";
    expect(findings("x.md", text, REPO_PATH, missingPath)).toEqual([
      "x.md:1: names app/no-such-file.ts, which does not exist",
    ]);
    expect(findings("x.md", text, ADR_MENTION, missingAdrs)).toEqual(["x.md:1: cites ADR 998, which does not exist"]);
    expect(findings("x.md", text, TRACKER, ([hit]) => hit!)).toEqual(["x.md:1: issue 12", "x.md:1: #7"]);
    expect(
      findings("x.md", "`scripts/bench/*`, `app/<capability>/`, `@prisma/client`", REPO_PATH, missingPath),
    ).toEqual([]);
  });
});

// In a status line, a verb that says an earlier decision no longer holds as written, and what follows it up to the
// next clause (a semicolon, a sentence's end or a verb that only builds on a decision).
const REPLACING_CLAUSE =
  /\b(?:amends|changes|replaces|supersedes|corrects|makes)\b(.*?)(?=;|\. |\b(?:extends|refines|continues|keeps|closes|amended|refined|superseded|extended)\b|$)/gi;

describe("references to decisions", () => {
  it("in the documents name ADRs that exist", () => {
    expect(everyDocument((file, text) => findings(file, text, ADR_MENTION, missingAdrs))).toEqual([]);
  });

  it("in code comments name ADRs that exist", () => {
    expect(sources.flatMap((file) => findings(file, comments(file), ADR_MENTION, missingAdrs))).toEqual([]);
  });

  it("that amend or replace an earlier decision are named in that decision's status line", () => {
    const statusOf = new Map(
      readdirSync(DECISIONS).map((name) => {
        const text = readFileSync(path.posix.join(DECISIONS, name), "utf8");
        return [name.slice(0, 3), (/\nStatus:[\s\S]*?(?:\n\n|$)/.exec(text)?.[0] ?? "").replace(/\s+/g, " ")];
      }),
    );
    const unanswered: string[] = [];
    for (const [number, status] of statusOf) {
      // "Amends 018 (…) and 079 (…)", "Changes 027 … and the policy page of 091", "Makes ADR 075's …": the numbers
      // from such a verb up to the next clause; what a parenthesis explains is not a decision it names.
      for (const [, clause] of status.matchAll(REPLACING_CLAUSE)) {
        for (const [earlier] of clause!.replace(/\([^)]*\)/g, "").matchAll(/\b\d{3}\b/g)) {
          if (earlier! < number && statusOf.has(earlier!) && !statusOf.get(earlier!)!.includes(number)) {
            unanswered.push(`ADR ${number} amends ${earlier}, whose status line does not name ${number}`);
          }
        }
      }
    }
    expect(unanswered).toEqual([]);
  });

  it("that close what an earlier decision left are named where that decision says it is left", () => {
    const decisions = new Map(
      readdirSync(DECISIONS).map((name) => [name.slice(0, 3), readFileSync(path.posix.join(DECISIONS, name), "utf8")]),
    );
    const stillOpen: string[] = [];
    for (const [number, text] of decisions) {
      const status = (/\nStatus:[\s\S]*?(?:\n\n|$)/.exec(text)?.[0] ?? "").replace(/\s+/g, " ");
      // "Closes the item ADR 094 left open", "settles two items ADR 099 left", "closing what 095 left".
      for (const [, earlier] of status.matchAll(/\b(?:closes|closing|settles)\b[^;.]*?\b(\d{3}) left\b/gi)) {
        if (!new RegExp(`\\b${number}\\b`).test(decisions.get(earlier!) ?? number)) {
          stillOpen.push(`ADR ${number} closes what ${earlier} left, but ${earlier} does not say so`);
        }
      }
    }
    expect(stillOpen).toEqual([]);
  });

  it("in code comments name decision files that exist", () => {
    const named = /docs\/decisions\/[\w.-]+\.md/g;
    const missing = sources.flatMap((file) =>
      findings(file, comments(file), named, ([found]) => (existsSync(found!) ? null : `names ${found}`)),
    );
    expect(missing).toEqual([]);
  });
});

describe("code comments", () => {
  it("name only repository paths that exist", () => {
    expect(sources.flatMap((file) => findings(file, comments(file), REPO_PATH, missingPath))).toEqual([]);
  });
});

describe("tracker numbers and machine paths", () => {
  it("appear in no document", () => {
    expect(everyDocument((file, text) => findings(file, text, TRACKER, ([found]) => found!))).toEqual([]);
  });

  it("appear in no code comment", () => {
    const found = sources.flatMap((file) => findings(file, comments(file), TRACKER, ([hit]) => hit!));
    expect(found).toEqual([]);
  });

  it("no source file names a path on a development machine", () => {
    const machinePaths = /(?<![\w.])\/(?:work|home|Users)\//g;
    const found = sources
      .filter((file) => statSync(file).isFile())
      .flatMap((file) => findings(file, readFileSync(file, "utf8"), machinePaths, ([hit]) => hit!));
    expect(found).toEqual([]);
  });
});

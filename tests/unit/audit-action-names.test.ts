// Every action code the console writes to the audit trail has a name in Japanese and in English (ADR 107). The codes
// are read from the source: every code-shaped literal written as an `action:` (a ternary's choices included), the
// constants such a line names (BULK_FREEZE_START) and the maps it indexes (SUCCESS_ACTIONS[purpose]).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_ACTIONS, auditActionName, auditActionText } from "~/audit/action-names";

const CODE = /["'`]([a-z][a-z-]*(?:\.[a-z][a-z-]*)+)["'`]/g;
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

function sourceFiles(): string[] {
  const root = path.resolve("app");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .filter((name) => !name.startsWith(`i18n${path.sep}locales`) && !name.startsWith("generated"))
    .map((name) => path.join(root, name));
}

const sources = sourceFiles().map((file) => ({ file, text: withoutComments(readFileSync(file, "utf8")) }));
const everything = sources.map((s) => s.text).join("\n");

/**
 * What follows `action:` (or `const action =`, for the shorthand `{ action }`) up to the end of its line: a literal, a
 * ternary of literals, a constant or a map's entry.
 */
const actionValues = [...everything.matchAll(/\b(?:action:|(?:const|let) action\s*=)\s*([^\n]+)/g)].map(
  (match) => match[1]!,
);

function writtenCodes(): Set<string> {
  const codes = new Set<string>();
  for (const value of actionValues) {
    for (const match of value.matchAll(CODE)) codes.add(match[1]!);
    // A constant (`action: NOTE_ADD`) or a map indexed by a key (`action: SUCCESS_ACTIONS[purpose]`).
    const named = /^([A-Z][A-Z0-9_]*)\b/.exec(value.trim())?.[1];
    if (!named) continue;
    const definition = new RegExp(`const ${named}\\b[^=]*=\\s*(\\{[^}]*\\}|"[^"]*")`).exec(everything);
    expect(definition, `the definition of ${named}`).not.toBeNull();
    for (const match of definition![1]!.matchAll(CODE)) codes.add(match[1]!);
  }
  return codes;
}

describe("audit action names", () => {
  const written = writtenCodes();

  it("finds the codes the console writes (the collector still reads the source)", () => {
    expect(written.size).toBeGreaterThan(100);
    expect(written).toContain("ledger.reverse");
    expect(written).toContain("staff.sign-in.second-factor"); // from a map
    expect(written).toContain("accounts.bulk-freeze.start"); // from a constant
    expect(written).toContain("jobs.resume"); // from a ternary
  });

  it("every code written anywhere in app/ has a Japanese and an English name", () => {
    const unnamed = [...written].filter(
      (code) => auditActionName(code, "ja") === null || auditActionName(code, "en") === null,
    );
    expect(unnamed, "add these to audit:actions in app/i18n/locales/{en,ja}/audit.ts").toEqual([]);
  });

  it("no action code is built from pieces, so every one can be found and named", () => {
    expect(actionValues.filter((value) => /^`[^`]*\$\{/.test(value.trim()))).toEqual([]);
  });

  it("names each action in Japanese, not in the code's words", () => {
    for (const code of AUDIT_ACTIONS) {
      const japanese = auditActionName(code, "ja")!;
      expect(japanese, code).toMatch(/[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u);
      expect(auditActionName(code, "en"), code).not.toBe(code);
    }
  });

  it("shows an unknown or legacy code, or a prefix filter, as the code itself", () => {
    expect(auditActionName("ledger.reverse", "ja")).toBe("取引を取消");
    expect(auditActionText("ledger.reverse", "en")).toBe("Reverse transaction (ledger.reverse)");
    expect(auditActionName("ledger.*", "ja")).toBeNull();
    expect(auditActionText("accounts.freeze", "ja")).toBe("accounts.freeze");
    expect(auditActionName("toString", "en")).toBeNull();
  });
});

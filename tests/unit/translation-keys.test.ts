// Every key in both languages, and no key nobody uses. Typecheck already refuses a key used in `t()` but not defined
// (keys are typed from English) and a Japanese file missing a key; this test also catches keys written as message
// strings ("validation:required" in a schema, which typecheck cannot see) and keys left behind when copy is removed.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "~/auth/permissions";
import { en, ja, NAMESPACES } from "~/i18n/resources";
import { labelAt, leafKeys } from "../support/translation-keys";

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Keys without their plural suffix: "tooShort_one" and "tooShort_other" are both the key "tooShort". */
function baseKeys(resource: unknown): Set<string> {
  return new Set(leafKeys(resource).map((key) => key.replace(PLURAL_SUFFIX, "")));
}

function sourceFiles(): string[] {
  const root = path.resolve("app");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .filter((name) => !name.startsWith(`i18n${path.sep}locales`) && !name.startsWith("generated"))
    .map((name) => path.join(root, name));
}

// Comments are left out: an example in a comment neither uses a key nor needs one.
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");
const source = sourceFiles()
  .map((file) => withoutComments(readFileSync(file, "utf8")))
  .join("\n");

// Whole string literals ("board.title", 'ns:key') and the fixed start of template literals (`role.${role}`).
const literals = new Set([...source.matchAll(/["'`]([A-Za-z][\w.:-]*)["'`]/g)].map((match) => match[1]!));
const templatePrefixes = [...source.matchAll(/`([A-Za-z][\w.:-]*\.)\$\{/g)].map((match) => match[1]!);

function isUsed(namespace: string, key: string): boolean {
  // The audit actions' names are read by their code (app/audit/action-names.ts), and every one is checked against the
  // codes the app writes by tests/unit/audit-action-names.test.ts (ADR 107).
  if (namespace === "audit" && key.startsWith("actions.")) return true;
  // So are the system's own audit reasons, by their stored text, checked against what the app writes by
  // tests/unit/audit-system-reasons.test.ts, and the device platforms, by their stored value (ADR 111).
  if (namespace === "audit" && (key.startsWith("reasonCodes.") || key.startsWith("systemReasons."))) return true;
  if (namespace === "common" && key.startsWith("platform.")) return true;
  // A step-up refusal's `stepUp` values, by their stored value, checked against the guard's by the same test (ADR 113).
  if (namespace === "audit" && key.startsWith("stepUpStates.")) return true;
  const candidates = [key, `${namespace}:${key}`];
  if (candidates.some((candidate) => literals.has(candidate))) return true;
  return templatePrefixes.some((prefix) =>
    candidates.some((candidate) => candidate.startsWith(prefix) && candidate.length > prefix.length),
  );
}

describe("translation keys", () => {
  it.each(NAMESPACES)("%s has the same keys in Japanese as in English", (namespace) => {
    const english = baseKeys(en[namespace]);
    const japanese = baseKeys(ja[namespace]);
    expect(
      [...english].filter((key) => !japanese.has(key)),
      "missing in Japanese",
    ).toEqual([]);
    expect(
      [...japanese].filter((key) => !english.has(key)),
      "only in Japanese",
    ).toEqual([]);
  });

  it("every plural has its Japanese form (_other) and its English forms (_one, _other)", () => {
    for (const namespace of NAMESPACES) {
      const plurals = leafKeys(en[namespace]).filter((key) => PLURAL_SUFFIX.test(key));
      for (const key of plurals) {
        const base = key.replace(PLURAL_SUFFIX, "");
        expect(leafKeys(en[namespace]), `${namespace}:${base}`).toEqual(
          expect.arrayContaining([`${base}_one`, `${base}_other`]),
        );
        expect(leafKeys(ja[namespace]), `${namespace}:${base}`).toContain(`${base}_other`);
      }
    }
  });

  // i18next's built-in formatters ({{value, number}}, {{value, datetime}}, …) keep one Intl formatter per call's whole
  // set of values (their cache key is every option of the call): a search summary built and kept one per search in
  // every web process. Figures are formatted by app/lib/format.ts and passed in as text (ADR 073).
  it("no label asks i18next to format a value", () => {
    const formatted = NAMESPACES.flatMap((namespace) =>
      [en, ja].flatMap((resources) =>
        leafKeys(resources[namespace])
          .map((key) => ({ namespace, key, label: labelAt(resources[namespace], key) }))
          .filter(({ label }) => /\{\{[^}]*,[^}]*\}\}/.test(label)),
      ),
    );
    expect(formatted).toEqual([]);
  });

  it('every key written as a message ("namespace:key") exists', () => {
    const known = new Set<string>(NAMESPACES);
    // Permission names ("audit:view") share the shape and are not messages.
    const permissions = new Set<string>(PERMISSIONS);
    const missing = [...literals]
      .filter((literal) => /^[a-z][A-Za-z]*:[\w.]+$/.test(literal))
      .filter((literal) => known.has(literal.split(":")[0]!) && !permissions.has(literal))
      .filter((literal) => {
        const [namespace, key] = literal.split(":") as [keyof typeof en, string];
        return !baseKeys(en[namespace]).has(key);
      });
    expect(missing).toEqual([]);
  });

  it("every key is used somewhere in the app", () => {
    const unused = NAMESPACES.flatMap((namespace) =>
      [...baseKeys(en[namespace])].filter((key) => !isUsed(namespace, key)).map((key) => `${namespace}:${key}`),
    );
    expect(unused).toEqual([]);
  });
});

// Staff read a refusal in their own language: a DomainError reaches the page as errors:<code> when that key exists,
// else as the service's own English (app/i18n/translate.server.ts). This check reads every `new DomainError("CODE",
// "English…")` in app/ and fails on a code a Japanese-speaking member would see in English. A message written as a
// translation key ("detect:errors.notFound") is translated as it stands; a message built from a schema's issues or
// a rule's values is worded by the page that shows it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { translateDomainError } from "~/i18n/translate.server";
import { DomainError } from "~/lib/domain-error";
import jaErrors from "~/i18n/locales/ja/errors";

// Refusals no staff member reads: the wallet app's own API (answered to the customer's phone as JSON codes), the kill
// switch acknowledgements of other services, and the command-line bootstrap of the first admin.
const NOT_STAFF_FACING = [
  "app/wallet/customer-auth.server.ts",
  "app/wallet/customer-guard.server.ts",
  "app/wallet/purchase.server.ts",
  "app/wallet/top-up.server.ts",
  "app/wallet/password-reset.server.ts",
  "app/killswitch/service-api.server.ts",
  "app/auth/bootstrap-admin.server.ts",
];

interface Thrown {
  file: string;
  code: string;
}

/**
 * Each DomainError in app/ whose message is English text (a string or template literal), with its code: thrown as
 * `new DomainError("CODE", …)` or through a capability's subclass that takes the code first (`new ReversalError(…)`,
 * `new KillSwitchRefusal(…)`, `new RecoveryRefusal(…)`: the refusals a stale page meets).
 */
function englishRefusals(): Thrown[] {
  const found: Thrown[] = [];
  for (const name of readdirSync("app", { recursive: true, encoding: "utf8" })) {
    const file = path.join("app", name).split(path.sep).join("/");
    if (!/\.tsx?$/.test(file) || file.startsWith("app/i18n/") || NOT_STAFF_FACING.includes(file)) continue;
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(/new [A-Z][A-Za-z]*\(\s*"([A-Z_]+)",\s*(["`])([^"`]*)/g)) {
      const [, code, , start] = match;
      if (/^[a-z][A-Za-z]*:[A-Za-z0-9_.]+$/.test(start!)) continue;
      found.push({ file, code: code! });
    }
  }
  return found;
}

describe("refusals in Japanese", () => {
  it("every staff-facing DomainError code has a Japanese message", () => {
    const refusals = englishRefusals();
    expect(refusals.length).toBeGreaterThan(50);
    const untranslated = refusals.filter(({ code }) => !(code in jaErrors)).map(({ file, code }) => `${file}: ${code}`);
    expect(untranslated).toEqual([]);
  });

  it("shows the Japanese message with its values, and English readers the service's own sentence", () => {
    const refusal = new DomainError(
      "COHORT_TOO_LARGE",
      "These filters match 12,345 accounts; a cohort holds at most 5,000.",
      422,
      { found: "12,345", max: "5,000" },
    );
    expect(translateDomainError("ja", refusal)).toBe(
      "条件に一致するアカウントは12,345件です。1つの対象者抽出に入れられるのは最大5,000件です。期間を狭めるか、最低スコアを上げてください。",
    );
    expect(translateDomainError("en", refusal)).toBe(refusal.message);
    expect(translateDomainError("ja", new DomainError("LAST_ADMIN", "This is the last active admin.", 409))).toBe(
      "有効な管理者はこのメンバーだけです。先に別のメンバーを管理者にしてください。",
    );
  });
});

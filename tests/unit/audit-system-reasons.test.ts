// Every reason the console itself writes into the audit trail has a Japanese and an English label (ADR 111). The
// reasons are read from the source, as tests/unit/audit-action-names.test.ts reads action codes: every literal written
// as a `reason:` (a ternary's choices included, a template's parts filled in), and the values a sign-in failure
// records through a variable (`const reason = …`, `failure = …`, `recordFailure(…, "locked")`).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  isReasonCode,
  matchSystemReason,
  namedAuditValue,
  namedAuditValues,
  reasonColumnText,
  systemReasonLabel,
  systemReasonText,
} from "~/audit/system-reasons";
import { describeDestination } from "~/ledger/reversal-destination";
import { SKIP_REASON_LABEL } from "~/notify/notice-status";
import { PERMISSIONS } from "~/auth/permissions";
import { platformName } from "~/lib/device-platform";
import enAudit from "~/i18n/locales/en/audit";
import jaAudit from "~/i18n/locales/ja/audit";

const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:])\/\/.*$/gm, "$1");

// Reasons that are not written into the audit trail: a function's result (`{ ok: false, reason: "blocked" }`), a
// type, and the notices' skip reasons and SMTP outcomes, which have their own catalogue (notify:skipReason).
const NOT_AUDIT_FILES = new Set([`notify${path.sep}outbox.server.ts`, `notify${path.sep}smtp-outcome.ts`]);
const NOT_AUDIT_LINE = /ok: false|allowed: false|kind: "|reason: "[^"]*" \|/;

function sources(): { file: string; text: string }[] {
  const root = path.resolve("app");
  return readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name))
    .filter((name) => !name.startsWith(`i18n${path.sep}locales`) && !name.startsWith("generated"))
    .filter((name) => !NOT_AUDIT_FILES.has(name))
    .map((name) => ({ file: name, text: withoutComments(readFileSync(path.join(root, name), "utf8")) }));
}

/**
 * A literal at the start of a value or after a ternary's ` ? ` or ` : ` (not the "string" of a `typeof` test, nor an
 * object's `key: "…"`, nor the key of an `in` test). A literal without a letter (`" — "`, `""`) is punctuation around a value, not a reason.
 */
const LITERAL = /(?:^|\s[?:])\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)(?!\s+in\b)/g;

function literalsOf(value: string): string[] {
  return (
    [...value.matchAll(LITERAL)]
      // A template's filled-in parts become a sample value: the sentence around them is what must be catalogued.
      .map((match) => match[1]!.slice(1, -1).replace(/\$\{[^}]*\}/g, "7"))
      .filter((literal) => /[A-Za-z]/.test(literal))
  );
}

function writtenReasons(): Set<string> {
  const reasons = new Set<string>();
  for (const { text } of sources()) {
    const lines = text.split("\n");
    lines.forEach((line, index) => {
      if (NOT_AUDIT_LINE.test(line)) return;
      for (const match of line.matchAll(/\breason:\s*(.*)$/g)) {
        let value = match[1]!;
        // A value on the next lines (a long sentence, or a ternary), up to the line that ends it.
        if (value.trim() === "")
          for (let next = index + 1; !/,\s*$/.test(value) && next < lines.length && next <= index + 4; next++)
            value += ` ${lines[next]!.trim()}`;
        for (const literal of literalsOf(value)) reasons.add(literal);
      }
      // Values recorded through a variable: a sign-in's failure reason.
      const assigned = /\b(?:const reason =|failure =)\s*(.*)$/.exec(line);
      if (assigned) for (const literal of literalsOf(assigned[1]!)) reasons.add(literal);
      const failure = /recordFailure\([^)]*,\s*("[^"]*")\)/.exec(line);
      if (failure) reasons.add(failure[1]!.slice(1, -1));
    });
  }
  return reasons;
}

describe("the system's own audit reasons", () => {
  const written = writtenReasons();

  it("finds the reasons the console writes (the collector still reads the source)", () => {
    expect(written).toContain("wrong-password"); // an after value
    expect(written).toContain("The 30-minute lock expired."); // a fixed sentence
    expect(written).toContain("7 consecutive wrong passwords from one source."); // a template
    expect(written).toContain("7 wrong step-up codes within 30 minutes in this session."); // a ternary's choice
    expect(written).toContain("development seed"); // a ternary's other choice
    expect(written).toContain("unknown-email"); // through `const reason =`
    expect(written).toContain("replayed"); // through `failure =`
    expect(written).toContain("locked"); // recordFailure(…, "locked")
    expect(written).not.toContain("string"); // a typeof test is not a reason
    expect(written).not.toContain("NO_VERIFIED_EMAIL"); // a notice's skip reason, named elsewhere
  });

  it("every reason written anywhere in app/ has a Japanese and an English label", () => {
    const unlabelled = [...written].filter((reason) => !isReasonCode(reason) && matchSystemReason(reason) === null);
    expect(unlabelled, "add these to audit:reasonCodes or audit:systemReasons in app/i18n/locales/{en,ja}").toEqual([]);
  });

  it("labels each code and sentence in Japanese, and each English sentence reads back as itself", () => {
    const japanese = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
    for (const [code, label] of Object.entries(jaAudit.reasonCodes)) expect(label, code).toMatch(japanese);
    for (const [key, label] of Object.entries(jaAudit.systemReasons)) expect(label, key).toMatch(japanese);
    for (const code of Object.keys(enAudit.reasonCodes)) expect(enAudit.reasonCodes[code as "blocked"]).not.toBe(code);
    for (const reason of written)
      if (!isReasonCode(reason)) expect(systemReasonText(reason, "en"), reason).toBe(reason);
  });

  it("renders a stored sentence in the member's language with its numbers and names kept", () => {
    expect(systemReasonLabel("10 consecutive wrong passwords from one source.", "ja")).toBe(
      "同じ接続元からパスワードを10回続けて誤りました。",
    );
    expect(systemReasonLabel('cohort "夜間の新規端末"', "ja")).toBe("コホート「夜間の新規端末」");
    expect(systemReasonLabel("The 30-minute lock expired.", "en")).toBe("The 30-minute lock expired.");
  });

  it("leaves a reason a member typed as it was typed, even one that contains a system sentence", () => {
    for (const typed of [
      "The 30-minute lock expired early: caller verified by phone.",
      "caller says: The 30-minute lock expired.",
      "本人確認済み",
      "wrong-password",
    ])
      expect(systemReasonLabel(typed, "ja"), typed).toBeNull();
    // A code is named only in the before/after field the system writes it in.
    expect(namedAuditValue("reason", "wrong-password", "ja")).toBe("パスワードの誤り");
    expect(namedAuditValue("details.reason", "export budget", "ja")).toBe("短時間の書き出し回数が上限に達しました");
    expect(namedAuditValue("note", "wrong-password", "ja")).toBeNull();
    expect(namedAuditValue("reason", "the caller asked", "ja")).toBeNull();
  });

  it("names every permission a denial records as missing, in both languages", () => {
    for (const permission of PERMISSIONS) {
      expect(namedAuditValue("missingPermission", permission, "ja"), permission).toMatch(/^不足している権限：/);
      expect(namedAuditValue("missingPermission", permission, "en"), permission).toMatch(/^Missing permission: /);
    }
    expect(namedAuditValue("missingPermission", "accounts:freeze", "ja")).toBe("不足している権限：アカウントの凍結");
    expect(namedAuditValue("missingPermission", "toString:x", "ja")).toBeNull();
  });

  it("names a device's platform, and shows a platform it does not know as stored", () => {
    expect(platformName("ios", "ja")).toBe("iOS");
    expect(platformName("android", "en")).toBe("Android");
    expect(platformName("harmonyos", "ja")).toBe("harmonyos");
    expect(platformName("constructor", "ja")).toBe("constructor");
  });
});

// Codes other catalogues name, read in the member's language wherever the trail is shown (ADR 113).
describe("the codes of reversals, notices and step-up refusals", () => {
  const read = (file: string) => withoutComments(readFileSync(path.resolve(file), "utf8"));

  it("names every reversal reason the reference data inserts, in both languages", () => {
    const migrations = path.resolve("prisma/migrations");
    const inserted = readdirSync(migrations, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".sql"))
      .flatMap((name) => {
        const sql = readFileSync(path.join(migrations, name), "utf8");
        const insert = /INSERT INTO "reversal_reason"[^;]*;/.exec(sql)?.[0] ?? "";
        return [...insert.matchAll(/\('([A-Z_]+)',/g)].map((match) => match[1]!);
      });
    expect(inserted).toContain("FRAUDULENT");
    for (const code of inserted) {
      expect(reasonColumnText(code, "ledger.reverse", "ja"), code).toMatch(new RegExp(`^[^A-Za-z]+ \\(${code}\\)$`));
      expect(namedAuditValue("reasonCode", code, "en"), code).not.toBeNull();
    }
  });

  it("names a reason code only in the reason column of the actions that write one", () => {
    expect(reasonColumnText("FRAUDULENT", "ledger.bulk-reverse.start", "ja")).toBe(
      "不正利用（アカウント乗っ取り） (FRAUDULENT)",
    );
    // An approver's comment is their own words, whatever it reads.
    expect(reasonColumnText("OTHER", "ledger.reverse.approve", "ja")).toBe("OTHER");
    expect(reasonColumnText("SOMETHING_NEW", "ledger.reverse", "ja")).toBe("SOMETHING_NEW");
  });

  it("names every skip reason a notice records, in both languages", () => {
    for (const code of Object.keys(SKIP_REASON_LABEL)) {
      expect(namedAuditValue("skipReason", code, "ja"), code).toMatch(/^[^A-Za-z]+$/);
      expect(namedAuditValue("skipReason", code, "en"), code).not.toBeNull();
    }
  });

  it("names every step-up state the guard records on a refusal, in both languages", () => {
    const guard = read("app/auth/guard.server.ts");
    const written = [...guard.matchAll(/stepUp: [^?\n]+\? "([^"]+)" : "([^"]+)"/g)].flatMap((m) => [m[1]!, m[2]!]);
    expect(written).toEqual(["expired", "missing"]);
    for (const state of written) {
      expect(namedAuditValue("stepUp", state, "ja"), state).toMatch(/^[^A-Za-z]+$/);
      expect(namedAuditValue("stepUp", state, "en"), state).not.toBeNull();
    }
    expect(namedAuditValue("stepUp", "toString", "ja")).toBeNull();
  });

  it("finds the named codes of a before/after value, one level deep, and nothing else", () => {
    expect(
      namedAuditValues({
        reason: "wrong-password",
        email: "a@example.test",
        details: { reason: "export budget", note: "wrong-password" },
        stepUp: "expired",
        skipReason: "whatever the worker wrote",
      }),
    ).toEqual([
      { path: "reason", value: "wrong-password" },
      { path: "details.reason", value: "export budget" },
      { path: "stepUp", value: "expired" },
    ]);
    expect(namedAuditValues(null)).toEqual([]);
    expect(namedAuditValues(["wrong-password"])).toEqual([]);
  });

  it("reads every destination sentence a reversal request records back into the reader's language", () => {
    const charges = [
      {
        kind: "PURCHASE",
        channel: null,
        fundingLabel: null,
        storeName: "ナナマート 秋葉原電気街店",
        storeCode: "S-AKB-01",
      },
      { kind: "PURCHASE", channel: null, fundingLabel: null, storeName: null, storeCode: null },
      { kind: "TOP_UP", channel: "BANK", fundingLabel: "みずほ ••1234", storeName: null, storeCode: null },
      { kind: "TOP_UP", channel: "CONVENIENCE_CASH", fundingLabel: null, storeName: null, storeCode: null },
      { kind: "TOP_UP", channel: "CREDIT_CARD", fundingLabel: null, storeName: null, storeCode: null },
    ] as const;
    const named = charges.map((charge) =>
      namedAuditValue("destination", describeDestination(charge, 5000).sentence, "ja"),
    );
    expect(named[0]).toBe(
      "ナナマート 秋葉原電気街店 (S-AKB-01)への支払予定額から¥5,000を取り消し、お客様のウォレットに戻します。",
    );
    expect(named[1]).toContain("加盟店");
    expect(named[4]).toContain("登録済みの支払元");
    for (const name of named) expect(name).not.toBeNull();
    // The English reader's sentence is the stored one; a bulk item's code and any other text stay as stored.
    const stored = describeDestination(charges[2], 5000).sentence;
    expect(namedAuditValue("destination", stored, "en")).toBe(stored);
    expect(namedAuditValue("destination", "refund:CREDIT_CARD", "ja")).toBeNull();
    expect(namedAuditValues({ destination: stored })).toEqual([]);
  });
});

// The console's language: the member's profile when signed in (Japanese for a new member), the browser's on the
// sign-in pages, switchable from the header (audited), and server-side messages in that language. Over real HTTP:
// run `npx remix build` first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { languageOf } from "~/i18n/i18next.server";
import { translateDomainError, zodErrorMapFor, localizeReply } from "~/i18n/translate.server";
import { DomainError } from "~/lib/domain-error";
import { z } from "zod";
import { parseWithZod } from "@conform-to/zod";
import { createClient, redirectPath, startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, nextTotpCode, signIn, signInWithPasswordOnly, stepUp } from "../support/staff";

let app: TestHttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app?.close();
});

const htmlLang = (html: string) => /<html lang="([^"]*)"/.exec(html)?.[1];

describe("which language a request gets", () => {
  it("without a session follows Accept-Language, and is Japanese when the browser names neither language", async () => {
    const at = (header?: string) =>
      languageOf(
        new Request("http://firebreak.test/sign-in", { headers: header ? { "accept-language": header } : {} }),
      );
    expect(await languageOf(new Request("http://firebreak.test/sign-in"))).toBe("ja");
    expect(await at("en-US,en;q=0.9")).toBe("en");
    expect(await at("ja-JP,ja;q=0.9,en;q=0.5")).toBe("ja");
    expect(await at("fr-FR,de;q=0.8")).toBe("ja");

    const stranger = createClient(app);
    const japanese = await stranger.get("/sign-in", { headers: { "accept-language": "ja,en;q=0.5" } });
    expect(htmlLang(await japanese.text())).toBe("ja");
    const english = await stranger.get("/sign-in", { headers: { "accept-language": "en-GB" } });
    expect(htmlLang(await english.text())).toBe("en");
  });

  it("a new staff member reads Japanese whatever the browser says, and the header switches it (audited)", async () => {
    const created = await prisma.staffUser.create({
      data: { email: `new-${Date.now()}@staff.test`, displayName: "New member", role: "COMPLIANCE" },
    });
    expect(created.language).toBe("ja");

    const member = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const before = await (await member.get("/audit")).text();
    expect(htmlLang(before)).toBe("ja");
    expect(before).toContain("監査ログ");
    expect(before).toContain("セキュリティ責任者");

    const switched = await member.post("/settings/language", { language: "en", redirectTo: "/audit?page=2" });
    expect(switched.status).toBe(302);
    expect(redirectPath(switched)).toBe("/audit?page=2");
    const after = await (await member.get("/audit")).text();
    expect(htmlLang(after)).toBe("en");
    expect(after).toContain("Audit trail");
    expect(after).toContain("The console now speaks English.");
    expect(after).not.toContain("監査ログ");

    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.staff.id } });
    expect(row.language).toBe("en");
    const audit = await prisma.auditEvent.findFirstOrThrow({
      where: { action: "staff.language.change", targetId: member.staff.id },
    });
    expect(audit.outcome).toBe("SUCCESS");
  });

  it("refuses a language it does not have and changes nothing", async () => {
    const member = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const refused = await member.post("/settings/language", { language: "fr" });
    expect(refused.status).toBe(302);
    const page = await (await member.get("/")).text();
    expect(page).toContain("日本語または英語を選んでください。");
    const row = await prisma.staffUser.findUniqueOrThrow({ where: { id: member.staff.id } });
    expect(row.language).toBe("ja");
  });

  it("a 403 page speaks the member's language", async () => {
    const agent = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const denied = await agent.get("/audit");
    expect(denied.status).toBe(403);
    const html = await denied.text();
    expect(html).toContain("権限がありません");
    expect(html).toContain("現在のロール（サポート担当）ではこの操作はできません");
  });
});

describe("the sign-in flow in Japanese", () => {
  it("speaks the browser's language before sign-in and the member's after the password step", async () => {
    const stranger = createClient(app);
    const ja = { headers: { "accept-language": "ja-JP" } };
    expect(await (await stranger.get("/sign-in", ja)).text()).toContain("コンソールにサインイン");
    const refused = await stranger.request("/sign-in", {
      method: "POST",
      body: new URLSearchParams({ email: "nobody@staff.test", password: "wrong" }),
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "ja" },
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("メールアドレスまたはパスワードが正しくありません");

    // The member chose Japanese; their browser says English: from the second step on, the profile wins.
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const member = await signInWithPasswordOnly(app, staff);
    expect(await (await member.get("/sign-in/totp")).text()).toContain("確認コードを入力");
    const wrong = await member.post("/sign-in/totp", { code: "000000" });
    expect(await wrong.text()).toContain("コードが正しくありません");
  });

  it("accepts the code typed with full-width digits and spaces", async () => {
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const member = await signInWithPasswordOnly(app, staff);
    const code = nextTotpCode(staff);
    const fullWidth = [...code].map((digit) => String.fromCharCode(digit.charCodeAt(0) + 0xfee0));
    const typed = `${fullWidth.slice(0, 3).join("")}\u3000${fullWidth.slice(3).join("")}`;
    const accepted = await member.post("/sign-in/totp", { code: typed });
    expect(accepted.status).toBe(302);
    expect(redirectPath(accepted)).toBe("/");
  });

  it("the recovery-code step: its page, its refusals and the toast after it", async () => {
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const member = await signInWithPasswordOnly(app, staff);
    const page = await (await member.get("/sign-in/recovery")).text();
    expect(page).toContain("リカバリーコードを使う");
    expect(page).not.toContain("Use a recovery code");
    const malformed = await member.post("/sign-in/recovery", { code: "1234" });
    expect(malformed.status).toBe(400);
    expect(await malformed.text()).toContain("abcd-efgh-ijkl-mnop の形式です");
    const accepted = await member.post("/sign-in/recovery", { code: staff.recoveryCodes[0]! });
    expect(redirectPath(accepted)).toBe("/");
    expect(await (await member.get("/")).text()).toContain("リカバリーコードでサインインしました（残り 9 個）");
  });
});

describe("confirming it is you, and signing out, in Japanese", () => {
  it("the step-up page: its text, a wrong code and the toast after it", async () => {
    const staff = await createStaff({ role: "AGENT", language: "ja" });
    const member = await signIn(app, staff);
    const page = await (await member.get("/step-up?redirectTo=%2Faccounts")).text();
    expect(page).toContain("<title>本人確認 · Firebreak</title>");
    expect(page).toContain("この操作には認証アプリの新しい確認コードが必要です");
    expect(page).toContain("確認する");
    expect(page).toContain("キャンセル");
    expect(page).not.toContain("Confirm it is you");

    const wrong = await member.post("/step-up", { code: "000000", redirectTo: "/accounts" });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("コードが正しくありません");

    const confirmed = await member.post("/step-up", { code: nextTotpCode(staff), redirectTo: "/" });
    expect(redirectPath(confirmed)).toBe("/");
    const home = await (await member.get("/")).text();
    expect(home).toContain("本人確認が完了しました。5分間有効です。");
    expect(home).not.toContain("Identity confirmed");
  });

  it("says goodbye in the member's language, read before the session ends", async () => {
    const member = await signIn(app, await createStaff({ role: "AGENT", language: "ja" }));
    const out = await member.post("/sign-out", {});
    expect(redirectPath(out)).toBe("/sign-in");
    // The browser asks for English: the toast still follows the profile of the member who signed out.
    const page = await (await member.get("/sign-in", { headers: { "accept-language": "en" } })).text();
    expect(page).toContain("サインアウトしました。");
    expect(page).not.toContain("You are signed out.");
  });
});

describe("schema messages in Japanese, over HTTP", () => {
  it("the invitation form's refusals", async () => {
    const admin = await signIn(app, await createStaff({ role: "ADMIN", language: "ja" }));
    await stepUp(admin, "/admin/staff");
    const refused = await admin.post("/admin/staff", { intent: "invite", email: "x", displayName: "", role: "NOPE" });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain("ロールを選択してください。");
    expect(html).toContain("メールアドレスの形式が正しくありません。");
    expect(html).not.toContain("Choose a role.");
  });

  it("the cohort builder's window, with its limit in the sentence", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const query = new URLSearchParams({ from: "2026-01-01T00:00", to: "2026-12-01T00:00", newDevice: "on" });
    const html = await (await lead.get(`/cohorts/new?${query}`)).text();
    expect(html).toContain("期間は最長92日です。");
    const garbled = new URLSearchParams({ from: "yesterday", to: "2026-11-02T00:00", newDevice: "on" });
    expect(await (await lead.get(`/cohorts/new?${garbled}`)).text()).toContain(
      "期間の開始を日時（日本時間）で入力してください。",
    );
    const none = new URLSearchParams({ from: "2026-11-01T00:00", to: "2026-11-02T00:00" });
    expect(await (await lead.get(`/cohorts/new?${none}`)).text()).toContain(
      "シグナルまたは店舗を1つ以上選択してください。",
    );
  });
});

describe("pages in Japanese", () => {
  it("the switch board: states in words, summary and forms", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const html = await (await lead.get("/kill-switches")).text();
    expect(html).toContain("<title>緊急停止 · Firebreak</title>");
    expect(html).toContain("稼働中・処理は通常どおり");
    expect(html).toContain("停止・承認には認証アプリの確認コードの再入力が必要です");
    expect(html).not.toContain("Released · flow running");
  });
});

describe("server-side messages", () => {
  it("translates a DomainError by its code, and keeps the English message when no key exists", () => {
    expect(
      translateDomainError("ja", new DomainError("PERMISSION_DENIED", "You do not have permission to do this.")),
    ).toBe("この操作を行う権限がありません。");
    expect(translateDomainError("ja", new DomainError("SOMETHING_NEW", "Not translated yet."))).toBe(
      "Not translated yet.",
    );
  });

  it("gives zod's messages and a schema's message keys in the member's language, with plurals", () => {
    const Schema = z.object({
      reason: z.string().min(10),
      amount: z.number({ coerce: true }).int(),
      code: z.string().regex(/^\d{6}$/, "validation:invalid"),
    });
    const form = new URLSearchParams({ reason: "short", amount: "1.5", code: "12" });
    const ja = parseWithZod(form, { schema: Schema, errorMap: zodErrorMapFor("ja") });
    const en = parseWithZod(form, { schema: Schema, errorMap: zodErrorMapFor("en") });
    expect(localizeReply("ja", ja.reply()).error).toEqual({
      reason: ["10文字以上で入力してください。"],
      amount: ["整数で入力してください。"],
      code: ["入力内容が正しくありません。"],
    });
    expect(localizeReply("en", en.reply()).error).toEqual({
      reason: ["Enter at least 10 characters."],
      amount: ["Enter a whole number."],
      code: ["This value is not valid."],
    });
  });
});

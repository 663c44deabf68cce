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
import { createBootstrapAdmin } from "~/auth/bootstrap-admin.server";
import { enqueueNotices } from "~/notify/notices.server";
import { createIncident, createVictim } from "../support/notify-fixtures";
import { createStaff, nextTotpCode, signIn, signInWithPasswordOnly, staffContext, stepUp } from "../support/staff";

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
    // The toast's own button too.
    expect(home).toMatch(/<button[^>]*>閉じる<\/button>/);
    expect(home).not.toContain("Dismiss");
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

describe("refusals that were English on Japanese screens", () => {
  const decoded = async (response: Response) =>
    (await response.text())
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&");

  it("the password policy on the invitation page and on the wallet's reset page", async () => {
    const { invite } = await createBootstrapAdmin({ email: `ja-invite-${Date.now()}@staff.test`, displayName: "招待" });
    const visitor = createClient(app);
    const ja = { "accept-language": "ja-JP" };
    const short = await visitor.post(
      `/invite/${invite.token}`,
      { password: "short", confirmPassword: "short" },
      {
        headers: ja,
      },
    );
    expect(short.status).toBe(400);
    const shortHtml = await short.text();
    expect(shortHtml).toContain("パスワードは12文字以上にしてください。");
    expect(shortHtml).not.toContain("Use at least");
    const common = await visitor.post(
      `/invite/${invite.token}`,
      { password: "Password1234", confirmPassword: "Password1234" },
      { headers: ja },
    );
    expect(await common.text()).toContain("このパスワードはよく使われているため使えません。");
    const missing = await visitor.post(`/invite/${invite.token}`, {}, { headers: ja });
    expect(await missing.text()).toContain("パスワードを入力してください。");
    // The same page in English for an English browser.
    const english = await visitor.post(
      `/invite/${invite.token}`,
      { password: "short", confirmPassword: "short" },
      { headers: { "accept-language": "en" } },
    );
    expect(await english.text()).toContain("Use at least 12 characters.");

    // The wallet's reset page answers a weak password before it looks at the link (the link stays usable).
    const reset = await visitor.post(
      `/reset-password?account=W-NOBODY&token=${"x".repeat(43)}`,
      { password: "aaaaaaaaaaaaaa", confirmPassword: "aaaaaaaaaaaaaa" },
      { headers: ja },
    );
    expect(reset.status).toBe(400);
    const resetHtml = await reset.text();
    expect(resetHtml).toContain("同じ文字の繰り返しはパスワードとして使えません。");
    expect(resetHtml).not.toContain("A single repeated character");
    // Why a link cannot be used, on the way in and on the way out.
    const forged = await visitor.get(`/reset-password?account=W-NOBODY&token=${"x".repeat(43)}`, { headers: ja });
    const forgedHtml = await forged.text();
    expect(forgedHtml).toContain("この再設定リンクは無効です。");
    expect(forgedHtml).not.toContain("This reset link is not valid");
    const redeemForged = await visitor.post(
      `/reset-password?account=W-NOBODY&token=${"x".repeat(43)}`,
      { password: "a long enough passphrase", confirmPassword: "a long enough passphrase" },
      { headers: ja },
    );
    expect(await redeemForged.text()).toContain("この再設定リンクは無効です。");
  });

  it("the cohort builder names a signal's field and what is wrong with it", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const window = { from: "2026-11-01T00:00", to: "2026-11-02T00:00" };
    const shared = new URLSearchParams({ ...window, sharedDevice: "on", sharedDeviceMin: "1" });
    const sharedHtml = await (await lead.get(`/cohorts/new?${shared}`)).text();
    expect(sharedHtml).toContain("共有端末の最低アカウント数：2以上の値を入力してください。");
    expect(sharedHtml).not.toContain("Shared device");
    const topUp = new URLSearchParams({ ...window, topUpThenResellable: "on", topUpHours: "200", topUpMinYen: "0" });
    const topUpHtml = await (await lead.get(`/cohorts/new?${topUp}`)).text();
    expect(topUpHtml).toContain("チャージ直後の換金性の高い商品の購入（時間）：168以下の値を入力してください。");
    expect(topUpHtml).toContain("チャージ直後の換金性の高い商品の購入（最低金額）：1以上の値を入力してください。");
    expect(topUpHtml).not.toMatch(/Number must be|minimum yen/);
  });

  it("the audit page's filter refusals, its choices, and the export's plain answer", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const cases: [string, string][] = [
      [
        "from=yesterday",
        "開始：「yesterday」は日時として読めません。日本時間で YYYY/MM/DD HH:MM の形式で入力してください。",
      ],
      ["to=2019-02-30T10:00", "終了：「2019-02-30T10:00」は存在しない日付です。"],
      ["from=9999-01-01", "開始：年は2000年から2100年の間で入力してください。"],
      ["colour=red", "「colour」という条件はありません。"],
      ["page=2", "ページ番号での指定はできません。"],
      ["role=AGENT&role=ADMIN", "「role」が2回以上指定されています。"],
      ["role=ROOT", "ロール：次のいずれかを指定してください：AGENT, SECURITY_LEAD"],
      ["q=x", "理由に含まれる語：2文字以上で入力してください。"],
      ["action=a%20b", "操作：英数字と . _ : - だけが使えます"],
      [
        "before=abc",
        "「古い記録」のカーソルは1から9223372036854775807までの行番号で指定してください（指定値：「abc」）。",
      ],
      ["before=5&after=3", "「新しい記録」と「古い記録」のカーソルは、どちらか一方だけを指定してください。"],
      ["from=2019-07-05T10:00&to=2019-07-04T10:00", "期間が逆転しているか空です。"],
      [`actor=nobody-${Date.now()}@staff.test`, "のスタッフはいません。"],
    ];
    for (const [query, message] of cases) {
      const response = await lead.get(`/audit?${query}`);
      expect(response.status, query).toBe(400);
      const html = await decoded(response);
      expect(html, query).toContain("次の条件は適用できません");
      expect(html, query).toContain(message);
      expect(html, query).not.toMatch(/must be|is not a|Unknown filter|Page numbers|more than once/);
    }
    const page = await decoded(await lead.get("/audit"));
    expect(page).toContain('placeholder="ledger.reverse または ledger.*"');
    expect(page).toContain('<option value="SECURITY_LEAD">セキュリティ責任者</option>');
    expect(page).toContain('<option value="DENIED">拒否</option>');
    // The trail keeps the English sentence of a refused view, whoever read it.
    const refused = await prisma.auditEvent.findFirstOrThrow({
      where: { actorId: lead.staff.id, action: "audit.view", outcome: "FAILED" },
      orderBy: { seq: "desc" },
    });
    expect(JSON.stringify(refused.after)).toContain("No staff member has the email");

    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
    const exportRefused = await compliance.get("/audit/export.csv?through=0");
    expect(exportRefused.status).toBe(400);
    expect(await exportRefused.text()).toContain("書き出しの終端行（through）は1から");
    const beyond = await compliance.get("/audit/export.csv?through=9223372036854775807");
    expect(await beyond.text()).toContain("が監査ログの最終行");
  });

  it("what a notice needs, at preview and in a skipped recipient's reason", async () => {
    const incident = await createIncident("OPEN");
    await createVictim(incident.id, { caseStatus: "CONTAINED" });
    const open = await createVictim(incident.id, { caseStatus: "OPEN" });
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const preview = new URLSearchParams({
      incident: incident.id,
      template: "account-secured",
      target: "selected",
      customers: open.displayId,
    });
    const previewHtml = await decoded(await lead.get(`/notifications?${preview}`));
    expect(previewHtml).toContain(
      "このお客様にはこのお知らせを作成できません。次の情報が必要です：アカウントの保護の完了（ケースがまだ未対応です）。",
    );
    expect(previewHtml).not.toContain("contained first");

    await enqueueNotices(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      incidentId: incident.id,
      template: "account-secured",
    });
    const status = await decoded(await lead.get(`/notifications/incidents/${incident.id}`));
    expect(status).toContain(
      "このアカウントには通知に必要なデータがありません — アカウントの保護の完了（ケースがまだ未対応です）",
    );
    expect(status).not.toMatch(/The notice needs|contained first/);
  });
});

describe("date-time fields in Japan time, the Japanese way", () => {
  it("the bulk reversal window and the breach report's discovery time are JST text fields, not the browser's own", async () => {
    const lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD", language: "ja" }));
    const bulk = await (await lead.get("/reversals/bulk")).text();
    expect(bulk).toMatch(/name="until" type="text"[^>]*value="\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}"/);
    expect(bulk).not.toContain('type="datetime-local"');

    const incident = await createIncident("OPEN");
    const compliance = await signIn(app, await createStaff({ role: "COMPLIANCE", language: "ja" }));
    const report = await (await compliance.get(`/incidents/${incident.id}/report`)).text();
    expect(report).toMatch(/name="learnedAt"[^>]*type="text" placeholder="2026\/12\/04 15:30"/);
    expect(report).not.toContain('type="datetime-local"');
  });
});

// Templates: escaping, both languages, and refusal of missing or malformed variables with a message naming them.
import { describe, expect, it } from "vitest";
import { escapeHtml, html } from "~/notify/templates/html";
import { carriesSecret, renderNotice, TEMPLATE_KEYS, TemplateVariablesError } from "~/notify/templates";
import { renderStaffLinkMail, STAFF_LINK_TEMPLATE } from "~/notify/templates/staff-link";
import { translateDomainError } from "~/i18n/translate.server";

const customer = { name: `<img src=x onerror="alert(1)">&'`, displayId: "W-00012345" };

describe("escaping", () => {
  it("escapes every interpolated value unless it is already safe HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const inner = html`<b>${"<i>"}</b>`;
    expect(html`<p>${inner}${["<", html`<br />`]}${null}${false}${3}</p>`.value).toBe(
      "<p><b>&lt;i&gt;</b>&lt;<br />3</p>",
    );
  });

  it("never lets a customer's name become markup in any template or language", () => {
    const samples = {
      "account-secured": { customer, incidentCode: "INC-7PAY", securedCase: "CONTAINED" },
      "charges-reversed": {
        customer,
        incidentCode: "INC-7PAY",
        reversals: [
          { chargedAt: "2019-07-03T03:00:00Z", merchant: "<script>", amountYen: 5000, destination: "wallet" },
        ],
      },
      "password-reset": {
        customer,
        resetUrl: 'https://wallet.example/reset/a?b=1&c="2"',
        expiresAt: "2019-07-04T00:30:00Z",
      },
      "incident-update": { customer, incidentCode: "INC-7PAY", status: "CONTAINED", updatedAt: "2019-07-04T00:00:00Z" },
      "recovery-code": { customer, code: "042917", expiresAt: "2019-07-04T00:10:00Z" },
    } as const;
    for (const key of TEMPLATE_KEYS) {
      for (const language of ["ja", "en"] as const) {
        const rendered = renderNotice(key, language, samples[key]);
        expect(rendered.html).not.toContain("<img");
        expect(rendered.html).not.toContain("<script>");
        expect(rendered.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;");
        expect(rendered.text).toContain(customer.name); // plain text is not HTML: kept as written
        expect(rendered.subject).not.toMatch(/[\r\n]/);
      }
    }
    const reset = renderNotice("password-reset", "ja", samples["password-reset"]);
    expect(reset.html).toContain('href="https://wallet.example/reset/a?b=1&amp;c=&quot;2&quot;"');
  });
});

describe("languages and content", () => {
  it("writes Japanese with 様 and Japan time, English with Japan time", () => {
    const vars = {
      customer: { name: "山田 花子", displayId: "W-1" },
      resetUrl: "https://wallet.example/r/t",
      expiresAt: "2019-07-04T00:30:00Z",
    };
    const ja = renderNotice("password-reset", "ja", vars);
    expect(ja.text.split("\n")[0]).toBe("山田 花子 様");
    expect(ja.text).toContain("2019年7月4日 09:30（日本時間）");
    const en = renderNotice("password-reset", "en", vars);
    expect(en.text.split("\n")[0]).toBe("Dear 山田 花子,");
    expect(en.text).toContain("4 July 2019 at 09:30 (Japan time)");
  });

  it("totals reversed charges from the lines and cuts a long list", () => {
    const reversals = Array.from({ length: 35 }, (_, i) => ({
      chargedAt: "2019-07-03T03:00:00Z",
      merchant: `店舗${i}`,
      amountYen: 1000,
      destination: "wallet" as const,
    }));
    const rendered = renderNotice("charges-reversed", "ja", {
      customer: { name: "a", displayId: "W-1" },
      incidentCode: "X",
      reversals,
    });
    expect(rendered.text).toContain("返金額の合計: 35,000円");
    expect(rendered.text).toContain("ほか 5 件");
  });
});

describe("refusal of missing variables", () => {
  it("names what is missing", () => {
    try {
      renderNotice("incident-update", "ja", { customer: { name: "a", displayId: "W-1" } });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TemplateVariablesError);
      const e = error as TemplateVariablesError;
      expect(e.status).toBe(422);
      expect(e.missing).toEqual([
        "notify:needs.incidentReference",
        "notify:needs.incidentStatus",
        "notify:needs.updatedAt",
      ]);
      expect(e.message).toContain("needs the incident reference; the incident status; the time of the update");
      // Shown to staff in their language: what is needed, not only that something is.
      expect(translateDomainError("ja", e)).toBe(
        "このお客様にはこのお知らせを作成できません。次の情報が必要です：インシデントの受付番号、インシデントの状況、続報の日時。",
      );
      expect(translateDomainError("en", e)).toBe(
        "This notice cannot be written for this customer: it needs the incident reference, the incident status, the time of the update.",
      );
    }
  });

  it("refuses a reset link that is not https", () => {
    for (const resetUrl of ["javascript:alert(1)", "http://wallet.example/reset", "not a url"]) {
      expect(() =>
        renderNotice("password-reset", "en", {
          customer: { name: "a", displayId: "W-1" },
          resetUrl,
          expiresAt: new Date(),
        }),
      ).toThrow(TemplateVariablesError);
    }
  });

  it("refuses a customer without a name", () => {
    expect(() =>
      renderNotice("incident-update", "en", {
        customer: { name: " ", displayId: "W-1" },
        incidentCode: "X",
        status: "OPEN",
        updatedAt: new Date(),
      }),
    ).toThrow(/the customer's name/);
  });
});

describe("a staff member's one-time link", () => {
  const mail = {
    displayName: `<img src=x onerror="alert(1)">`,
    url: "https://console.example/invite/abcdefghijklmnopqrstuvwxyz234567",
    expiresAt: new Date("2026-12-09T06:00:00Z"),
  };

  it("is written in the member's language for each kind of link, with the link and its expiry in JST", () => {
    const ja = renderStaffLinkMail("ja", { ...mail, kind: "invite" });
    expect(ja.subject).toBe("Firebreak コンソールへの招待");
    expect(ja.text).toContain(mail.url);
    expect(ja.text).toContain("2026年12月9日 15:00（日本時間）");
    const en = renderStaffLinkMail("en", { ...mail, kind: "totp-reset" });
    expect(en.subject).toBe("Your one-time link to the Firebreak console");
    expect(en.text).toContain("An admin reset your authenticator");
    expect(en.text).toContain("9 December 2026 at 15:00 (Japan time)");
    expect(renderStaffLinkMail("en", { ...mail, kind: "reissue" }).text).toContain("set a new password");
    expect(renderStaffLinkMail("en", { ...mail, kind: "reenable" }).text).toContain("old password and authenticator");
    expect(renderStaffLinkMail("ja", { ...mail, kind: "reenable" }).text).toContain("以前のパスワードと認証アプリ");
  });

  it("never lets the member's name become markup", () => {
    for (const language of ["ja", "en"] as const) {
      const rendered = renderStaffLinkMail(language, { ...mail, kind: "invite" });
      expect(rendered.html).not.toContain("<img");
      expect(rendered.html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    }
  });

  it("is a secret: blanked once settled and never resent", () => {
    expect(carriesSecret(STAFF_LINK_TEMPLATE)).toBe(true);
    expect(carriesSecret("password-reset")).toBe(true);
    expect(carriesSecret("incident-update")).toBe(false);
  });
});

// "We secured your account": sent once a victim's account is contained. No links on purpose: after a breach,
// fraudsters send look-alike mails, and we tell customers that ours never carry one (except a reset they asked for).
import { z } from "zod";
import { BRAND } from "~/notify/templates/brand";
import { CustomerVariables, defineTemplate } from "~/notify/templates/definition";
import { html, lines } from "~/notify/templates/html";
import { frameHtml, frameText } from "~/notify/templates/layout";

export const AccountSecuredVariables = z.object({
  customer: CustomerVariables,
  incidentCode: z.string({ required_error: "notify:needs.incidentReference" }).min(1, "notify:needs.incidentReference"),
  // The case status once the account is contained. Not printed: its presence is what makes "we secured your account"
  // true, so a notice for a still-open case is refused at preview.
  securedCase: z.enum(["CONTAINED", "REMEDIATED", "NOTIFIED", "CLOSED"], {
    errorMap: () => ({ message: "notify:needs.securedCase" }),
  }),
});

export const accountSecured = defineTemplate({
  key: "account-secured",
  label: "Account secured after unauthorised access",
  description: "Tells the victim we found unauthorised access, what we did, and what they should do now.",
  schema: AccountSecuredVariables,
  containsSecret: false,
  composable: true,
  priority: 0,
  render(language, v) {
    if (language === "ja") {
      const subject = `【重要】${BRAND.ja.name}アカウントへの不正アクセスと保護のお知らせ`;
      const steps = [
        "アプリを開き、画面の案内に従ってパスワードを再設定してください。",
        "同じパスワードを他のサービスでもお使いの場合は、そちらも変更してください。",
        "身に覚えのないお取引は当社で確認のうえ返金します。お客様からのお手続きは不要です。",
      ];
      const text = frameText(
        language,
        v.customer,
        lines(
          `お客様のアカウント（会員番号 ${v.customer.displayId}）で、第三者による不正なアクセスを確認しました。`,
          "被害の拡大を防ぐため、アカウントを保護し、すべての端末からログアウトさせました。",
          "",
          "お手数ですが、次のことをお願いいたします。",
          ...steps.map((s, i) => `${i + 1}. ${s}`),
          "",
          `お問い合わせの際は、受付番号 ${v.incidentCode} をお伝えください。`,
          "このメールにはリンクを記載していません。リンク付きの同様のメールは開かずに削除してください。",
        ),
      );
      const body = html`<p>
          お客様のアカウント（会員番号
          <strong>${v.customer.displayId}</strong
          >）で、第三者による不正なアクセスを確認しました。被害の拡大を防ぐため、アカウントを保護し、すべての端末からログアウトさせました。
        </p>
        <p>お手数ですが、次のことをお願いいたします。</p>
        <ol>
          ${steps.map((s) => html`<li>${s}</li>`)}
        </ol>
        <p>お問い合わせの際は、受付番号 <strong>${v.incidentCode}</strong> をお伝えください。</p>
        <p>このメールにはリンクを記載していません。リンク付きの同様のメールは開かずに削除してください。</p>`;
      return { subject, text, html: frameHtml(language, v.customer, subject, body) };
    }
    const subject = `Important: we secured your ${BRAND.en.name} account after unauthorised access`;
    const steps = [
      "Open the app and follow the instructions to set a new password.",
      "If you use the same password for other services, change it there too.",
      "We are reviewing every transaction you did not make and will refund it. You do not need to do anything.",
    ];
    const text = frameText(
      language,
      v.customer,
      lines(
        `We found that someone else accessed your account (member number ${v.customer.displayId}) without permission.`,
        "To stop any further harm, we secured your account and signed it out of every device.",
        "",
        "Please do the following:",
        ...steps.map((s, i) => `${i + 1}. ${s}`),
        "",
        `If you contact us, please quote reference ${v.incidentCode}.`,
        "This email contains no links. If you receive a similar email with a link, delete it without opening it.",
      ),
    );
    const body = html`<p>
        We found that someone else accessed your account (member number <strong>${v.customer.displayId}</strong>)
        without permission. To stop any further harm, we secured your account and signed it out of every device.
      </p>
      <p>Please do the following:</p>
      <ol>
        ${steps.map((s) => html`<li>${s}</li>`)}
      </ol>
      <p>If you contact us, please quote reference <strong>${v.incidentCode}</strong>.</p>
      <p>This email contains no links. If you receive a similar email with a link, delete it without opening it.</p>`;
    return { subject, text, html: frameHtml(language, v.customer, subject, body) };
  },
});

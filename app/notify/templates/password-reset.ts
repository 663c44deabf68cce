// The password-reset mail of the recovery flow. It carries a live, single-use link: the only notice with a
// link, the only one marked containsSecret (bodies blanked once settled; previews use a sample link, never a token).
import { z } from "zod";
import { CustomerVariables, dateVariable, defineTemplate } from "~/notify/templates/definition";
import { formatDateTime } from "~/notify/templates/format";
import { html, lines } from "~/notify/templates/html";
import { frameHtml, frameText } from "~/notify/templates/layout";

export const PasswordResetVariables = z.object({
  customer: CustomerVariables,
  resetUrl: z
    .string({ required_error: "notify:needs.resetLink" })
    .url("notify:needs.resetLinkUrl")
    // An https link in production; http only for the local development server.
    .refine((value) => /^https:\/\//.test(value) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?\//.test(value), {
      message: "notify:needs.resetLinkHttps",
    }),
  expiresAt: dateVariable("notify:needs.resetExpiresAt"),
});

export const passwordReset = defineTemplate({
  key: "password-reset",
  label: "Password reset link",
  description: "A single-use link to set a new password, sent by the recovery flow to the verified address on file.",
  schema: PasswordResetVariables,
  containsSecret: true,
  composable: false,
  // A link that expires in 30 minutes must not wait behind a bulk notice.
  priority: 10,
  render(language, v) {
    const until = formatDateTime(language, v.expiresAt);
    if (language === "ja") {
      const subject = "パスワード再設定のご案内";
      const text = frameText(
        language,
        v.customer,
        lines(
          `お客様のアカウント（会員番号 ${v.customer.displayId}）の安全のため、パスワードの再設定をお願いしています。`,
          `次のリンクから ${until} までに新しいパスワードを設定してください。リンクは一度だけ使えます。`,
          "",
          v.resetUrl,
          "",
          "期限が過ぎた場合は、アプリからもう一度お手続きいただくか、お問い合わせ窓口までご連絡ください。",
        ),
      );
      const body = html`<p>
          お客様のアカウント（会員番号
          <strong>${v.customer.displayId}</strong>）の安全のため、パスワードの再設定をお願いしています。次のボタンから
          <strong>${until}</strong> までに新しいパスワードを設定してください。リンクは一度だけ使えます。
        </p>
        <p style="margin:24px 0">
          <a
            href="${v.resetUrl}"
            style="background:#0f172a;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none"
            >パスワードを再設定する</a
          >
        </p>
        <p style="font-size:13px;word-break:break-all">ボタンが使えない場合は次のURLを開いてください: ${v.resetUrl}</p>
        <p>期限が過ぎた場合は、アプリからもう一度お手続きいただくか、お問い合わせ窓口までご連絡ください。</p>`;
      return { subject, text, html: frameHtml(language, v.customer, subject, body) };
    }
    const subject = "Set a new password for your account";
    const text = frameText(
      language,
      v.customer,
      lines(
        `To keep your account (member number ${v.customer.displayId}) safe, we ask you to set a new password.`,
        `Use this link before ${until}. It works once.`,
        "",
        v.resetUrl,
        "",
        "If the link has expired, start again from the app or call us.",
      ),
    );
    const body = html`<p>
        To keep your account (member number <strong>${v.customer.displayId}</strong>) safe, we ask you to set a new
        password. Use the button below before <strong>${until}</strong>. It works once.
      </p>
      <p style="margin:24px 0">
        <a
          href="${v.resetUrl}"
          style="background:#0f172a;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none"
          >Set a new password</a
        >
      </p>
      <p style="font-size:13px;word-break:break-all">If the button does not work, open this address: ${v.resetUrl}</p>
      <p>If the link has expired, start again from the app or call us.</p>`;
    return { subject, text, html: frameHtml(language, v.customer, subject, body) };
  },
});

// The recovery code mail: a six-digit code the customer reads back to the agent on the phone. Sent only to the last
// known-good address (never to the one a suspect change set), it proves the caller controls a contact the attacker
// did not set. It carries a secret: bodies are blanked once settled; previews never see a real code.
import { z } from "zod";
import { CustomerVariables, dateVariable, defineTemplate } from "~/notify/templates/definition";
import { formatDateTime } from "~/notify/templates/format";
import { html, lines } from "~/notify/templates/html";
import { frameHtml, frameText } from "~/notify/templates/layout";

export const RecoveryCodeVariables = z.object({
  customer: CustomerVariables,
  code: z.string({ required_error: "notify:needs.code" }).regex(/^\d{6}$/, "notify:needs.sixDigitCode"),
  expiresAt: dateVariable("notify:needs.codeExpiresAt"),
});

export const recoveryCode = defineTemplate({
  key: "recovery-code",
  label: "Recovery code (read back to the agent)",
  description: "A one-time code the caller reads back to the agent, sent to the last known-good address.",
  schema: RecoveryCodeVariables,
  containsSecret: true,
  composable: false,
  // The caller is waiting on the phone.
  priority: 20,
  render(language, v) {
    const until = formatDateTime(language, v.expiresAt);
    if (language === "ja") {
      const subject = "本人確認コードのお知らせ";
      const text = frameText(
        language,
        v.customer,
        lines(
          `お問い合わせ窓口での本人確認コードは ${v.code} です（${until} まで有効、一度だけ使えます）。`,
          "お電話中の担当者にこのコードをお伝えください。お問い合わせをされていない場合は、誰にも伝えないでください。",
        ),
      );
      const body = html`<p>お問い合わせ窓口での本人確認コードは次のとおりです。</p>
        <p style="font-size:28px;letter-spacing:4px;margin:16px 0"><strong>${v.code}</strong></p>
        <p><strong>${until}</strong> まで有効で、一度だけ使えます。お電話中の担当者にお伝えください。</p>
        <p>お問い合わせをされていない場合は、このコードを誰にも伝えないでください。</p>`;
      return { subject, text, html: frameHtml(language, v.customer, subject, body) };
    }
    const subject = "Your verification code";
    const text = frameText(
      language,
      v.customer,
      lines(
        `Your verification code for our support line is ${v.code}. It works once, until ${until}.`,
        "Read it to the agent you are speaking with. If you did not call us, do not give it to anyone.",
      ),
    );
    const body = html`<p>Your verification code for our support line is:</p>
      <p style="font-size:28px;letter-spacing:4px;margin:16px 0"><strong>${v.code}</strong></p>
      <p>It works once, until <strong>${until}</strong>. Read it to the agent you are speaking with.</p>
      <p>If you did not call us, do not give it to anyone.</p>`;
    return { subject, text, html: frameHtml(language, v.customer, subject, body) };
  },
});

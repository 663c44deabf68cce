// "We reversed the fraudulent charges": one line per reversed charge with its amount and where the money went, and the
// total. Amounts are integer yen; the total is computed here from the lines, so it can never disagree with them.
import { z } from "zod";
import { CustomerVariables, dateVariable, defineTemplate } from "~/notify/templates/definition";
import { formatAmount, formatDateTime } from "~/notify/templates/format";
import { html, lines } from "~/notify/templates/html";
import { frameHtml, frameText } from "~/notify/templates/layout";
import type { Language } from "~/notify/language";

// A long list is cut in the mail; the customer can see every line in the app.
const MAX_LINES = 30;

const Reversal = z.object({
  chargedAt: dateVariable("notify:needs.chargedAt"),
  merchant: z.string().nullable(),
  amountYen: z.number().int().positive(),
  destination: z.enum(["wallet", "card"]),
});

export const ChargesReversedVariables = z.object({
  customer: CustomerVariables,
  incidentCode: z.string({ required_error: "notify:needs.incidentReference" }).min(1, "notify:needs.incidentReference"),
  reversals: z
    .array(Reversal, { required_error: "notify:needs.reversedCharges" })
    .min(1, "notify:needs.atLeastOneReversal"),
});
type Variables = z.infer<typeof ChargesReversedVariables>;

const DESTINATION: Record<Language, Record<"wallet" | "card", string>> = {
  ja: { wallet: "ウォレット残高へ返金", card: "ご登録のクレジットカードへ返金" },
  en: { wallet: "returned to your wallet balance", card: "refunded to your registered credit card" },
};

function describe(language: Language, r: Variables["reversals"][number]): string {
  const when = formatDateTime(language, r.chargedAt);
  const where = r.merchant ?? (language === "ja" ? "チャージ" : "top-up");
  const amount = formatAmount(language, r.amountYen);
  return language === "ja"
    ? `${when} ${where} ${amount}（${DESTINATION.ja[r.destination]}）`
    : `${when}, ${where}: ${amount} (${DESTINATION.en[r.destination]})`;
}

export const chargesReversed = defineTemplate({
  key: "charges-reversed",
  label: "Charges reversed",
  description: "Lists each fraudulent charge we reversed, with its amount and where the money went, and the total.",
  schema: ChargesReversedVariables,
  containsSecret: false,
  composable: true,
  priority: 0,
  render(language, v) {
    const total = formatAmount(
      language,
      v.reversals.reduce((sum, r) => sum + r.amountYen, 0),
    );
    const shown = v.reversals.slice(0, MAX_LINES).map((r) => describe(language, r));
    const hidden = v.reversals.length - shown.length;
    if (language === "ja") {
      const subject = "【重要】不正利用分の返金完了のお知らせ";
      const more = hidden > 0 ? `ほか ${hidden} 件（すべての明細はアプリでご確認いただけます）` : null;
      const text = frameText(
        language,
        v.customer,
        lines(
          `お客様のアカウント（会員番号 ${v.customer.displayId}）で第三者により行われたお取引を取り消し、返金しました。`,
          "",
          ...shown.map((s) => `・${s}`),
          more,
          "",
          `返金額の合計: ${total}`,
          "",
          `お問い合わせの際は、受付番号 ${v.incidentCode} をお伝えください。`,
        ),
      );
      const body = html`<p>
          お客様のアカウント（会員番号
          <strong>${v.customer.displayId}</strong>）で第三者により行われたお取引を取り消し、返金しました。
        </p>
        <ul>
          ${shown.map((s) => html`<li>${s}</li>`)}
        </ul>
        ${more ? html`<p>${more}</p>` : null}
        <p style="font-size:16px">返金額の合計: <strong>${total}</strong></p>
        <p>お問い合わせの際は、受付番号 <strong>${v.incidentCode}</strong> をお伝えください。</p>`;
      return { subject, text, html: frameHtml(language, v.customer, subject, body) };
    }
    const subject = "Important: the fraudulent charges on your account have been reversed";
    const more = hidden > 0 ? `and ${hidden} more (see every line in the app)` : null;
    const text = frameText(
      language,
      v.customer,
      lines(
        `We reversed the transactions that someone else made on your account (member number ${v.customer.displayId}):`,
        "",
        ...shown.map((s) => `- ${s}`),
        more,
        "",
        `Total reversed: ${total}`,
        "",
        `If you contact us, please quote reference ${v.incidentCode}.`,
      ),
    );
    const body = html`<p>
        We reversed the transactions that someone else made on your account (member number
        <strong>${v.customer.displayId}</strong>):
      </p>
      <ul>
        ${shown.map((s) => html`<li>${s}</li>`)}
      </ul>
      ${more ? html`<p>${more}</p>` : null}
      <p style="font-size:16px">Total reversed: <strong>${total}</strong></p>
      <p>If you contact us, please quote reference <strong>${v.incidentCode}</strong>.</p>`;
    return { subject, text, html: frameHtml(language, v.customer, subject, body) };
  },
});

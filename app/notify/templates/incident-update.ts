// An update on the incident as a whole, worded by status. The wording is fixed, reviewed text rather than free text
// typed during an incident: a victim gets at most one update per incident status (the status is the dedupe
// discriminator), so "contained" and later "resolved" each reach them once.
import { z } from "zod";
import type { Language } from "~/notify/language";
import { BRAND } from "~/notify/templates/brand";
import { CustomerVariables, dateVariable, defineTemplate } from "~/notify/templates/definition";
import { formatDateTime } from "~/notify/templates/format";
import { html, lines } from "~/notify/templates/html";
import { frameHtml, frameText } from "~/notify/templates/layout";

export const INCIDENT_UPDATE_STATUSES = ["OPEN", "CONTAINED", "RESOLVED"] as const;
type UpdateStatus = (typeof INCIDENT_UPDATE_STATUSES)[number];

export const IncidentUpdateVariables = z.object({
  customer: CustomerVariables,
  incidentCode: z.string({ required_error: "notify:needs.incidentReference" }).min(1, "notify:needs.incidentReference"),
  status: z.enum(INCIDENT_UPDATE_STATUSES, { required_error: "notify:needs.incidentStatus" }),
  updatedAt: dateVariable("notify:needs.updatedAt"),
});

const WORDING: Record<Language, Record<UpdateStatus, { subject: string; paragraphs: string[] }>> = {
  ja: {
    OPEN: {
      subject: `【ご報告】${BRAND.ja.name}への不正アクセスについて（調査中）`,
      paragraphs: [
        "一部のお客様のアカウントに第三者による不正なアクセスがあったことを確認し、現在調査を進めています。",
        "被害の拡大を防ぐため、クレジットカード等からのチャージを一時的に停止しています。",
        "身に覚えのないお取引は当社で確認のうえ返金します。",
      ],
    },
    CONTAINED: {
      subject: `【ご報告】${BRAND.ja.name}への不正アクセスについて（対策を実施しました）`,
      paragraphs: [
        "不正なアクセスの原因となった経路を遮断し、被害にあわれたアカウントを保護しました。",
        "身に覚えのないお取引の返金を順次進めています。返金が完了したお客様には個別にお知らせします。",
      ],
    },
    RESOLVED: {
      subject: `【ご報告】${BRAND.ja.name}への不正アクセスについて（対応完了）`,
      paragraphs: [
        "不正アクセスへの対応と、確認できたすべての不正利用分の返金を完了しました。",
        "ご不便とご心配をおかけしましたことを深くお詫び申し上げます。",
      ],
    },
  },
  en: {
    OPEN: {
      subject: `Update: unauthorised access to ${BRAND.en.name} accounts (under investigation)`,
      paragraphs: [
        "We found that someone gained unauthorised access to some customers' accounts, and we are investigating.",
        "To stop further harm, we have paused top-ups from credit cards and other sources.",
        "We will review and refund every transaction you did not make.",
      ],
    },
    CONTAINED: {
      subject: `Update: unauthorised access to ${BRAND.en.name} accounts (contained)`,
      paragraphs: [
        "We have closed the route the attackers used and secured the affected accounts.",
        "We are refunding the transactions you did not make, and will write to you when yours is complete.",
      ],
    },
    RESOLVED: {
      subject: `Update: unauthorised access to ${BRAND.en.name} accounts (resolved)`,
      paragraphs: [
        "We have finished our response and refunded every fraudulent transaction we found.",
        "We are deeply sorry for the trouble and worry this caused.",
      ],
    },
  },
};

export const incidentUpdate = defineTemplate({
  key: "incident-update",
  label: "Incident status update",
  description: "Where the incident stands (investigating, contained, resolved), in reviewed wording per status.",
  schema: IncidentUpdateVariables,
  containsSecret: false,
  composable: true,
  priority: 0,
  render(language, v) {
    const wording = WORDING[language][v.status];
    const when = formatDateTime(language, v.updatedAt);
    const stamp = language === "ja" ? `${when}時点のご報告です。` : `This update was written on ${when}.`;
    const reference =
      language === "ja"
        ? `お問い合わせの際は、受付番号 ${v.incidentCode} をお伝えください。`
        : `If you contact us, please quote reference ${v.incidentCode}.`;
    const text = frameText(language, v.customer, lines(...wording.paragraphs, "", stamp, reference));
    const body = html`${wording.paragraphs.map((p) => html`<p>${p}</p>`)}
      <p style="font-size:13px;color:#475569">${stamp}</p>
      <p>${reference}</p>`;
    return { subject: wording.subject, text, html: frameHtml(language, v.customer, wording.subject, body) };
  },
});

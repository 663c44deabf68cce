// The mail a security lead gets when a detector raises an alert or a containment policy fires: in the lead's console
// language, with a link to the alert, queued in the outbox in the same transaction as the alert (or right after the
// firing), at most once per lead and alert (the outbox's dedupe key).
import type { DbTx } from "~/db.server";
import { publicBaseUrl } from "~/env.server";
import { translatorFor } from "~/i18n/i18next.server";
import { formatJst } from "~/lib/format";
import type { Language } from "~/notify/language";
import { enqueueStaffMail, type StaffMailOutcome } from "~/notify/staff-mail.server";
import { html, lines } from "~/notify/templates/html";
import type { RenderedNotice } from "~/notify/templates/layout";
import { leadsToNotify } from "./duty.server";
import type { Evidence } from "./engine";

export const ALERT_MAIL_TEMPLATE = "lead-alert";
export const CONTAINMENT_MAIL_TEMPLATE = "lead-containment";

export function alertUrl(alertId: string, baseUrl = publicBaseUrl()): string {
  return new URL(`/alerts/${alertId}`, baseUrl).toString();
}

export interface AlertMailFacts {
  alertId: string;
  detector: string;
  severity: string;
  value: number;
  minute: Date;
  evidence: Evidence;
}

type MailDb = Pick<DbTx, "$queryRaw" | "staffUser">;

function frame(language: Language, title: string, paragraphs: string[], link: string, why: string): RenderedNotice {
  const t = translatorFor(language, "detect");
  const open = t("mail.open");
  return {
    subject: title,
    text: lines(title, "", ...paragraphs, "", `${open}: ${link}`, "", why),
    html: html`<!doctype html>
      <html lang="${language}">
        <head>
          <meta charset="utf-8" />
          <title>${title}</title>
        </head>
        <body style="font-family:-apple-system,'Hiragino Sans','Meiryo',sans-serif;color:#0f172a;line-height:1.7">
          <h1 style="font-size:18px">${title}</h1>
          ${paragraphs.map((p) => html`<p>${p}</p>`)}
          <p><a href="${link}">${open}</a></p>
          <p style="font-size:13px;color:#475569">${why}</p>
        </body>
      </html>`.value,
  };
}

function detectorName(language: Language, key: string): string {
  return translatorFor(language, "detect")(`detector.${key}` as never, { defaultValue: key });
}

export function renderAlertMail(language: Language, facts: AlertMailFacts, everyone: boolean): RenderedNotice {
  const t = translatorFor(language, "detect");
  const detector = detectorName(language, facts.detector);
  const severity = t(`severity.${facts.severity}` as never, { defaultValue: facts.severity });
  const e = facts.evidence;
  return frame(
    language,
    t("mail.alert.subject", { detector, severity }),
    [
      t("mail.alert.body", { detector, severity, minute: formatJst(facts.minute, language), value: facts.value }),
      t("mail.alert.evidence", {
        accounts: e.accounts.length,
        devices: e.devices.length,
        ips: e.ips.length,
        stores: e.stores.length,
      }),
    ],
    alertUrl(facts.alertId),
    everyone ? t("mail.whyEveryone") : t("mail.whyOnDuty"),
  );
}

export interface ContainmentMailFacts {
  policyId: string;
  alertId: string;
  detector: string;
  severity: string;
  switchKey: string;
  outcome: string;
}

export function renderContainmentMail(
  language: Language,
  facts: ContainmentMailFacts,
  everyone: boolean,
): RenderedNotice {
  const t = translatorFor(language, "detect");
  const detector = detectorName(language, facts.detector);
  const severity = t(`severity.${facts.severity}` as never, { defaultValue: facts.severity });
  const outcome =
    facts.outcome === "ENGAGED"
      ? t("mail.containment.engaged", { switchKey: facts.switchKey })
      : facts.outcome === "ALREADY_ENGAGED"
        ? t("mail.containment.alreadyEngaged", { switchKey: facts.switchKey })
        : t("mail.containment.failed", { switchKey: facts.switchKey });
  return frame(
    language,
    t("mail.containment.subject", { switchKey: facts.switchKey }),
    [t("mail.containment.body", { detector, severity }), outcome, t("mail.containment.release")],
    alertUrl(facts.alertId),
    everyone ? t("mail.whyEveryone") : t("mail.whyOnDuty"),
  );
}

export interface LeadMailSummary {
  /** true: nobody was on duty, so every active security lead was told. */
  everyone: boolean;
  messages: StaffMailOutcome[];
}

export async function mailLeadsAboutAlert(db: MailDb, facts: AlertMailFacts): Promise<LeadMailSummary> {
  const { recipients, everyone } = await leadsToNotify(db);
  const messages = await enqueueStaffMail(db, {
    template: ALERT_MAIL_TEMPLATE,
    subject: facts.alertId,
    recipients,
    render: (language) => renderAlertMail(language, facts, everyone),
    requestedBy: "system:detect",
  });
  return { everyone, messages };
}

export async function mailLeadsAboutContainment(db: MailDb, facts: ContainmentMailFacts): Promise<LeadMailSummary> {
  const { recipients, everyone } = await leadsToNotify(db);
  const messages = await enqueueStaffMail(db, {
    template: CONTAINMENT_MAIL_TEMPLATE,
    subject: `${facts.policyId}:${facts.alertId}`,
    recipients,
    render: (language) => renderContainmentMail(language, facts, everyone),
    requestedBy: "system:containment",
  });
  return { everyone, messages };
}

/** What an audit row says about the mails (never a body, a subject or a link). */
export function auditOfMail(summary: LeadMailSummary) {
  return {
    everyoneBecauseNobodyOnDuty: summary.everyone,
    mailed: summary.messages.map((m) => ({ staffId: m.staffId, messageId: m.messageId, language: m.language })),
  };
}

// What the agent is told after a recovery action (the toast), in the agent's language (English for the replay
// simulator's report). Never a token or a link: only where a link went.
import type { Language } from "~/i18n/config";
import { fixedT } from "~/i18n/fixed-t";
import { formatJst } from "~/lib/format";

type FactResult = "matched" | "mismatched" | "not asked";

function describeFacts(language: Language | undefined, facts: Record<"birthDate" | "lastTopUp" | "cardLast4", string>) {
  const t = fixedT(language, "recovery");
  const fact = (value: string) => t(`identity.fact.${value as FactResult}`, { defaultValue: value });
  return t("identity.facts", {
    birthDate: fact(facts.birthDate),
    lastTopUp: fact(facts.lastTopUp),
    cardLast4: fact(facts.cardLast4),
  });
}

export function describeCheck(
  check: {
    passed: boolean;
    facts: Record<"birthDate" | "lastTopUp" | "cardLast4", string>;
    validUntil: Date | string | null;
  },
  language: Language = "en",
): string {
  const t = fixedT(language, "recovery");
  const facts = describeFacts(language, check.facts);
  return check.passed
    ? t("toast.checkPassed", { facts, until: formatJst(check.validUntil, language) })
    : t("toast.checkFailed", { facts });
}

export function describeReset(
  summary: {
    sessionsRevoked: number;
    devicesRevoked: number;
    mustEnrollTwoFactor: boolean;
    delivery:
      | { kind: "QUEUED"; to: string; expiresAt: Date | string }
      | { kind: "HELD"; code: string; message: string; reason?: string };
  },
  language: Language = "en",
): string {
  const t = fixedT(language, "recovery");
  const contained = t("toast.resetForced", {
    sessions: summary.sessionsRevoked,
    devices: summary.devicesRevoked,
    twoFactor: summary.mustEnrollTwoFactor ? t("toast.twoFactorRequired") : "",
  });
  if (summary.delivery.kind === "QUEUED") {
    const until = formatJst(summary.delivery.expiresAt, language);
    return `${contained} ${t("toast.linkSent", { to: summary.delivery.to, until })}`;
  }
  const held = summary.delivery;
  // The outbox's refusal is a reason code (INVALID_EMAIL, DUPLICATE): shown as it is inside the translated sentence.
  let message = held.message;
  if (held.code === "MAIL_NOT_QUEUED") message = t("toast.held.MAIL_NOT_QUEUED", { reason: held.reason ?? "" });
  else if (held.code === "NO_VERIFIED_EMAIL" || held.code === "CONTACT_UNDER_REVIEW") {
    message = t(`toast.held.${held.code}`);
  }
  return `${contained} ${message}`;
}

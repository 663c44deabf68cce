// What the agent is told after a recovery action (the toast). Never a token or a link: only where a link went.
import { formatJst } from "~/lib/format";

export function describeCheck(check: {
  passed: boolean;
  facts: Record<"birthDate" | "lastTopUp" | "cardLast4", string>;
  validUntil: Date | string | null;
}): string {
  const facts = `birth date ${check.facts.birthDate}, last top-up ${check.facts.lastTopUp}, card ${check.facts.cardLast4}`;
  return check.passed
    ? `Identity check passed (${facts}). You may restore a contact until ${formatJst(check.validUntil)}.`
    : `Identity check failed (${facts}). Do not restore anything for this caller.`;
}

export function describeReset(summary: {
  sessionsRevoked: number;
  devicesRevoked: number;
  mustEnrollTwoFactor: boolean;
  delivery: { kind: "QUEUED"; to: string; expiresAt: Date | string } | { kind: "HELD"; message: string };
}): string {
  const contained = `Reset forced: ${summary.sessionsRevoked} sessions and ${summary.devicesRevoked} devices signed out${
    summary.mustEnrollTwoFactor ? ", 2FA enrolment required" : ""
  }.`;
  return summary.delivery.kind === "QUEUED"
    ? `${contained} Link sent to ${summary.delivery.to}, valid until ${formatJst(summary.delivery.expiresAt)}.`
    : `${contained} ${summary.delivery.message}`;
}

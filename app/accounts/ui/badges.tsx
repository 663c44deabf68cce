// Small status markers shared by the search results, the account view and the cohort pages (browser-safe).
import { useTranslation } from "react-i18next";
import { Pill, type Tone } from "~/components/pill";

const ACCOUNT_TONE: Record<string, Tone> = { ACTIVE: "green", FROZEN: "blue", COMPROMISED: "red", CLOSED: "slate" };

export function AccountStatusBadge({ status }: { status: string }) {
  const { t, i18n } = useTranslation("accounts");
  const key = `badge.accountStatus.${status}` as const;
  return (
    <Pill tone={ACCOUNT_TONE[status] ?? "slate"} testId="account-status">
      {i18n.exists(`accounts:${key}`) ? t(key as never) : status.toLowerCase()}
    </Pill>
  );
}

const CASE_TONE: Record<string, Tone> = {
  OPEN: "red",
  CONTAINED: "amber",
  REMEDIATED: "blue",
  NOTIFIED: "blue",
  CLOSED: "green",
};

export function CaseStatusBadge({ status }: { status: string }) {
  const { t, i18n } = useTranslation("accounts");
  const key = `badge.caseStatus.${status}` as const;
  return (
    <Pill tone={CASE_TONE[status] ?? "slate"} testId="case-status">
      {i18n.exists(`accounts:${key}`) ? t(key as never) : `case ${status.toLowerCase()}`}
    </Pill>
  );
}

export function RiskScore({ score }: { score: number }) {
  const { t } = useTranslation("accounts");
  const tone: Tone = score >= 70 ? "red" : score >= 40 ? "amber" : "slate";
  return (
    <Pill tone={tone} testId="risk-score">
      {t("badge.risk", { score })}
    </Pill>
  );
}

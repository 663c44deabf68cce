// Small status markers shared by the search results, the account view and the cohort pages (browser-safe).
import { useTranslation } from "react-i18next";

const TONES = {
  red: "bg-red-50 text-red-800 ring-red-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
} as const;

export type Tone = keyof typeof TONES;

export function Pill({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

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

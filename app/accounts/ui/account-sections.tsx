// Read-only sections of the account view (browser-safe). Times in JST, money in yen.
import { formatContact } from "~/accounts/masking";
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { TimelineEvent } from "~/accounts/timeline.server";
import { Pill } from "~/components/pill";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { platformName } from "~/lib/device-platform";
import { formatJst, formatYen } from "~/lib/format";

export interface DeviceRow {
  id: string;
  fingerprint: string;
  platform: string;
  model: string | null;
  firstSeenAt: string;
  trusted: boolean;
  revokedAt: string | null;
  lastSignInAt: string | null;
  otherAccounts: number;
}

export function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <section className="card space-y-3" data-testid={testId}>
      <h2 className="font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="text-sm text-slate-600">{children}</p>;
}

export function DevicesTable({ devices }: { devices: DeviceRow[] }) {
  const { t } = useTranslation("accounts");
  const language = usePageLanguage();
  if (devices.length === 0) return <Empty>{t("devices.none")}</Empty>;
  return (
    <table className="min-w-full text-sm">
      <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
        <tr>
          <th className="whitespace-nowrap py-1 pr-3">{t("devices.device")}</th>
          <th className="whitespace-nowrap py-1 pr-3">{t("devices.fingerprint")}</th>
          <th className="whitespace-nowrap py-1 pr-3">{t("devices.firstSeen")}</th>
          <th className="whitespace-nowrap py-1 pr-3">{t("devices.lastSignIn")}</th>
          {/* One line: a narrow column broke the two-character Japanese heading one character per line. */}
          <th className="whitespace-nowrap py-1">{t("devices.notes")}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {devices.map((d) => (
          <tr key={d.id} data-testid="device-row">
            <td className="py-1 pr-3">
              {platformName(d.platform, language)} {d.model ?? ""}
            </td>
            <td className="py-1 pr-3 font-mono text-xs">
              <Link className="underline" to={`/accounts?${new URLSearchParams({ q: d.fingerprint })}`}>
                {d.fingerprint}
              </Link>
            </td>
            <td className="py-1 pr-3 text-xs">{formatJst(d.firstSeenAt, language)}</td>
            <td className="py-1 pr-3 text-xs">{formatJst(d.lastSignInAt, language)}</td>
            <td className="space-x-1 py-1">
              {/* The attack's clearest sign on this page: it must not be cut off where the card is half the page. */}
              {d.otherAccounts > 0 ? (
                <Pill tone="red" wrap>
                  {t("devices.alsoOn", { count: d.otherAccounts })}
                </Pill>
              ) : null}
              {d.revokedAt ? (
                <Pill tone="slate">{t("devices.revoked", { at: formatJst(d.revokedAt, language) })}</Pill>
              ) : null}
              {!d.trusted && !d.revokedAt ? <Pill tone="amber">{t("devices.untrusted")}</Pill> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SessionsTable({
  sessions,
}: {
  sessions: { id: string; device: string | null; createdAt: string; expiresAt: string; state: string }[];
}) {
  const { t } = useTranslation("accounts");
  const language = usePageLanguage();
  if (sessions.length === 0) return <Empty>{t("sessions.none")}</Empty>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {sessions.map((s) => (
        <li key={s.id} className="flex flex-wrap gap-2 py-1">
          <Pill tone={s.state === "active" ? "green" : "slate"}>{t(`sessions.state.${s.state}` as never)}</Pill>
          <span>{s.device ?? t("sessions.unknownDevice")}</span>
          <span className="text-xs text-slate-500">
            {t("sessions.times", {
              started: formatJst(s.createdAt, language),
              expires: formatJst(s.expiresAt, language),
            })}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ContactChanges({
  changes,
}: {
  changes: {
    id: string;
    field: string;
    oldValue: string;
    newValue: string;
    changedAt: string;
    source: string;
    ip: string | null;
    oldValueVerified: boolean;
  }[];
}) {
  const { t } = useTranslation("accounts");
  const language = usePageLanguage();
  if (changes.length === 0) return <Empty>{t("contact.none")}</Empty>;
  return (
    <ul className="divide-y divide-slate-100 text-sm" data-testid="contact-changes">
      {changes.map((c) => (
        <li key={c.id} className="py-1">
          <span className="font-medium">
            {c.field === "PHONE" ? t("contact.field.PHONE") : t("contact.field.EMAIL")}
          </span>{" "}
          <span className="font-mono text-xs">{formatContact(c.field, c.oldValue)}</span> →{" "}
          <span className="font-mono text-xs">{formatContact(c.field, c.newValue)}</span>
          <div className="text-xs text-slate-500">
            {formatJst(c.changedAt, language)} · {c.source}
            {c.ip ? ` · ${c.ip}` : ""}
            {c.oldValueVerified ? "" : t("contact.unverified")}
          </div>
        </li>
      ))}
    </ul>
  );
}

const KIND_TONE: Record<TimelineEvent["kind"], "red" | "amber" | "green" | "blue" | "slate"> = {
  "sign-in": "slate",
  "sign-in-failed": "amber",
  "top-up": "green",
  purchase: "blue",
  reversal: "green",
  "contact-change": "amber",
  "staff-action": "slate",
  "risk-decision": "red",
};

export function Timeline({ events, olderHref }: { events: TimelineEvent[]; olderHref: string | null }) {
  const { t } = useTranslation("accounts");
  const language = usePageLanguage();
  if (events.length === 0) return <Empty>{t("timeline.none")}</Empty>;
  // A page of events shares a handful of kinds: each kind's label is looked up once per render, not once per event.
  const kindLabels = new Map<TimelineEvent["kind"], string>();
  const kindLabel = (kind: TimelineEvent["kind"]) => {
    let label = kindLabels.get(kind);
    if (label === undefined) kindLabels.set(kind, (label = t(`timeline.kind.${kind}`)));
    return label;
  };
  return (
    <div className="space-y-2">
      <ol className="divide-y divide-slate-100 text-sm" data-testid="timeline">
        {events.map((e) => (
          <li key={`${e.kind}:${e.ref}`} className="flex flex-wrap items-baseline gap-2 py-1.5" data-kind={e.kind}>
            <span className="w-44 shrink-0 font-mono text-xs text-slate-500">{formatJst(e.at, language)}</span>
            <Pill tone={KIND_TONE[e.kind]}>{kindLabel(e.kind)}</Pill>
            <span className="flex-1">{e.summary}</span>
            {e.amount !== null ? (
              <span className={`font-mono ${e.amount < 0 ? "text-red-700" : "text-emerald-700"}`}>
                {e.amount > 0 ? "+" : ""}
                {formatYen(e.amount, language)}
              </span>
            ) : null}
            {e.flags.map((flag) => (
              <Pill key={flag} tone="red">
                {flag}
              </Pill>
            ))}
          </li>
        ))}
      </ol>
      {olderHref ? (
        <Link className="text-sm underline" to={olderHref}>
          {t("timeline.older")}
        </Link>
      ) : null}
    </div>
  );
}

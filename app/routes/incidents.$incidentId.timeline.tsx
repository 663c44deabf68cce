// The incident's timeline: what happened when, from the audit trail and the wallet's events, filterable by kind; each
// audited entry links to its row in the audit trail.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ActionName } from "~/audit/components/action-name";
import { SystemReason } from "~/audit/components/system-reason";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { findIncident } from "~/incidents/command/figures.server";
import { TIMELINE_CATEGORIES, type TimelineCategory } from "~/incidents/command/timeline-categories";
import { loadTimeline } from "~/incidents/command/timeline.server";
import { auditRoleName } from "~/audit/system-reasons";
import { isLanguage, type Language } from "~/i18n/config";
import { translateMessage } from "~/i18n/translate.server";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { now } from "~/lib/clock.server";
import { formatJst, formatYen } from "~/lib/format";

export const permission: Permission = "incidents:view";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  // Unknown categories are ignored rather than refused: the filter is a set of checkboxes.
  const categories = url.searchParams
    .getAll("category")
    .filter((c): c is TimelineCategory => (TIMELINE_CATEGORIES as readonly string[]).includes(c));
  try {
    const incident = await findIncident(params.incidentId ?? "");
    const timeline = await loadTimeline(incident, { categories, until: now() });
    return {
      entries: timeline.entries.map(({ summaryMessage, ...e }) => ({
        ...e,
        summary: summaryMessage ? summaryIn(ctx.staff.language, summaryMessage) : e.summary,
        at: e.at.toISOString(),
        // The audit trail pages backwards from a cursor: just past the row puts it at the top.
        auditHref: e.auditSeq ? `/audit?before=${BigInt(e.auditSeq) + 1n}` : null,
      })),
      truncated: timeline.truncated,
      categories,
      canOpenAudit: roleHasPermission(ctx.staff.role, "audit:view"),
    };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

function summaryIn(language: Language | undefined, message: { key: string; yen: Record<string, number> }): string {
  const values = Object.fromEntries(Object.entries(message.yen).map(([name, yen]) => [name, formatYen(yen, language)]));
  return translateMessage(language, message.key, values);
}

export default function IncidentTimeline() {
  const { entries, truncated, categories, canOpenAudit } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation(["command", "audit"]);
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  // The roles of the audit trail (staff roles, the system's, the service's), in the trail's own words.
  const roleName = (role: string) => auditRoleName(role, language);
  return (
    <section className="card space-y-4">
      <Form method="get" className="flex flex-wrap items-center gap-3 text-sm">
        <span className="font-semibold">{t("timeline.show")}</span>
        {TIMELINE_CATEGORIES.map((category) => (
          <label key={category} className="flex items-center gap-1">
            <input type="checkbox" name="category" value={category} defaultChecked={categories.includes(category)} />
            {t(`timeline.category.${category}`)}
          </label>
        ))}
        <button type="submit" className="btn-secondary">
          {t("timeline.filter")}
        </button>
      </Form>
      <p className="text-sm text-slate-600">
        {t("timeline.entries", { count: entries.length })}
        {categories.length > 0 ? ` (${categories.map((c) => t(`timeline.category.${c}`)).join(", ")})` : ""}
        {truncated ? t("timeline.truncated") : ""}
      </p>
      <ol className="space-y-1 text-sm" data-testid="timeline">
        {entries.map((entry) => (
          <li
            key={entry.id}
            className="flex flex-wrap gap-3 border-b border-slate-100 py-1"
            data-testid="timeline-entry"
          >
            <time dateTime={entry.at} className="w-52 shrink-0 font-mono text-xs">
              {formatJst(entry.at, language)}
            </time>
            <span className="w-20 shrink-0 text-xs uppercase text-slate-500">
              {t(`timeline.category.${entry.category}`)}
            </span>
            <ActionName code={entry.action} inline />
            {entry.outcome && entry.outcome !== "SUCCESS" ? (
              <span className="rounded bg-red-100 px-1 text-xs text-red-800">
                {t(`audit:table.outcomes.${entry.outcome as "DENIED"}`)}
              </span>
            ) : null}
            {entry.target ? (
              <code className="text-xs text-slate-500">
                {entry.target.type} {entry.target.id}
              </code>
            ) : null}
            {entry.summary ? (
              <span className="text-slate-600">
                <SystemReason text={entry.summary} action={entry.action} />
              </span>
            ) : null}
            {entry.actor ? <span className="text-xs text-slate-500">{entry.actor}</span> : null}
            {entry.actorRole || entry.actorId ? (
              <span className="text-xs text-slate-500">
                {entry.actorRole ? roleName(entry.actorRole) : null}{" "}
                {entry.actorId ? <code className="break-all">{entry.actorId}</code> : null}
              </span>
            ) : null}
            {entry.auditSeq ? (
              canOpenAudit ? (
                <Link className="text-xs underline" to={entry.auditHref ?? "/audit"}>
                  {t("timeline.auditRow", { seq: entry.auditSeq })}
                </Link>
              ) : (
                <span className="text-xs text-slate-500">{t("timeline.auditRow", { seq: entry.auditSeq })}</span>
              )
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

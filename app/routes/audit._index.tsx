import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { pageTitle } from "~/i18n/fixed-t";
import { BOTH_CURSORS, filterToParams, parseAuditFilter, parseSeqParam } from "~/audit/audit-filter";
import { translateAuditFilterProblem } from "~/audit/audit-filter-messages.server";
import { recordAuditAccess } from "~/audit/audit-access.server";
import { describeFilter } from "~/audit/audit-export.server";
import {
  loadAuditFilterChoices,
  readAuditHeadSeq,
  resolveAuditFilterOnConsole,
  searchAuditLogOnConsole,
} from "~/audit/console-reads.server";
import { AuditEventTable } from "~/audit/components/audit-event-table";
import { AuditFilterForm } from "~/audit/components/audit-filter-form";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import type { Language } from "~/i18n/config";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";

// COMPLIANCE and SECURITY_LEAD. Exports need audit:export (COMPLIANCE only); every page view is itself audited.
export const permission: Permission = "audit:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "audit:pageTitle") }];

const MAX_LOGGED_QUERY = 500;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const canExport = roleHasPermission(ctx.staff.role, "audit:export");
  const canVerify = roleHasPermission(ctx.staff.role, "audit:verify");
  const choices = await loadAuditFilterChoices();
  const parsed = parseAuditFilter(url.searchParams, { extraKeys: ["before", "after"] });
  const errors = parsed.ok ? [] : [...parsed.errors];

  const cursor: { before?: bigint; after?: bigint } = {};
  for (const key of ["before", "after"] as const) {
    const raw = parsed.values[key];
    if (!raw) continue;
    const seq = parseSeqParam(raw, key);
    if ("error" in seq) errors.push(seq.error);
    else cursor[key] = seq.seq;
  }
  if (cursor.before !== undefined && cursor.after !== undefined) {
    errors.push(BOTH_CURSORS);
  }

  // The audit row keeps the English sentences (one language for every reader of the trail); the page, the member's.
  const refuse = async (say: (language: Language | undefined) => string[], status: number) => {
    await recordAuditAccess(ctx, {
      action: "audit.view",
      outcome: "FAILED",
      details: { query: url.search.slice(0, MAX_LOGGED_QUERY), errors: say("en") },
    });
    const shown = say(ctx.staff.language);
    return data(
      { ok: false as const, errors: shown, values: parsed.values, choices, canExport, canVerify },
      { status },
    );
  };
  if (!parsed.ok || errors.length > 0) {
    return refuse((language) => errors.map((problem) => translateAuditFilterProblem(language, problem)), 400);
  }

  try {
    const filter = await resolveAuditFilterOnConsole(parsed.filter);
    const page = await searchAuditLogOnConsole(filter, cursor);
    const through = await readAuditHeadSeq();
    await recordAuditAccess(ctx, {
      action: "audit.view",
      details: {
        filter: describeFilter(parsed.filter),
        before: cursor.before?.toString(),
        after: cursor.after?.toString(),
        rowsShown: page.rows.length,
      },
    });
    return {
      ok: true as const,
      errors: [] as string[],
      values: parsed.values,
      choices,
      canExport,
      canVerify,
      page,
      filterQuery: filterToParams(parsed.filter).toString(),
      through: through?.toString() ?? null,
    };
  } catch (error) {
    if (isDomainError(error)) return refuse((language) => [translateDomainError(language, error)], error.status);
    throw error;
  }
}

function withQuery(path: string, query: string, extra: Record<string, string>): string {
  const params = new URLSearchParams(query);
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function ExportLinks({ filterQuery, through }: { filterQuery: string; through: string | null }) {
  const pinned = through ? { through } : ({} as Record<string, string>);
  const { t } = useTranslation("audit");
  return (
    <section className="card space-y-2" aria-labelledby="export-heading">
      <h2 id="export-heading" className="font-semibold">
        {t("export.title")}
      </h2>
      <p className="text-sm text-slate-600">
        <Trans
          t={t}
          i18nKey="export.intro"
          values={{ through: through ?? "0" }}
          components={{ integrityLink: <Link className="underline" to="/audit/integrity" /> }}
        />
      </p>
      <div className="flex flex-wrap gap-3">
        <a className="btn-primary" href={withQuery("/audit/export.csv", filterQuery, pinned)} download>
          {t("export.csv")}
        </a>
        <a className="btn-secondary" href={withQuery("/audit/export.csv.manifest.json", filterQuery, pinned)} download>
          {t("export.manifest")}
        </a>
        <a className="btn-secondary" href={withQuery("/audit/export.jsonl", filterQuery, pinned)} download>
          {t("export.jsonl")}
        </a>
      </div>
    </section>
  );
}

export default function AuditTrail() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-bold">{t("title")}</h1>
          <p className="text-sm text-slate-600">{t("intro")}</p>
        </div>
        {data.canVerify ? (
          <Link className="btn-secondary" to="/audit/integrity">
            {t("integrityLink")}
          </Link>
        ) : null}
      </div>

      <AuditFilterForm values={data.values} choices={data.choices} />

      {data.errors.length > 0 ? (
        <div
          role="alert"
          className="card space-y-1 bg-red-50 text-sm text-red-900 ring-red-200"
          data-testid="audit-errors"
        >
          <p className="font-semibold">{t("filterErrors")}</p>
          <ul className="list-inside list-disc">
            {data.errors.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {data.ok ? (
        <>
          <AuditEventTable rows={data.page.rows} />
          <nav className="flex justify-between" aria-label={t("pages")}>
            {data.page.newerCursor ? (
              <Link
                className="btn-secondary"
                to={withQuery("/audit", data.filterQuery, { after: data.page.newerCursor })}
              >
                {t("newer")}
              </Link>
            ) : (
              <span />
            )}
            {data.page.olderCursor ? (
              <Link
                className="btn-secondary"
                to={withQuery("/audit", data.filterQuery, { before: data.page.olderCursor })}
              >
                {t("older")}
              </Link>
            ) : null}
          </nav>
          {data.canExport ? (
            <ExportLinks filterQuery={data.filterQuery} through={data.through} />
          ) : (
            <p className="text-sm text-slate-600">{t("exportsCompliance")}</p>
          )}
        </>
      ) : null}
    </div>
  );
}

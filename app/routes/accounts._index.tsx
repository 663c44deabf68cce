// The caller search: one box for whatever the caller reads out (several facts at once: name, birth date, last four
// digits, email or its local part, phone, display ID, device ID, IP). A GET form, so a search is a link an agent can
// share with a colleague and the back button works. Every search that shows data is audited
// (app/accounts/caller-search.server.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { searchForCaller } from "~/accounts/caller-search.server";
import { MAX_QUERY_LENGTH } from "~/accounts/search-key";
import type { NotUnderstood } from "~/accounts/search-terms";
import { AccountStatusBadge, CaseStatusBadge } from "~/accounts/ui/badges";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { formatCount, formatJst } from "~/lib/format";

export const permission: Permission = "accounts:search";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "search:title") }];

/** Display only; the position itself is the cursor. */
function pageNumber(raw: string | null): number {
  const value = Number.parseInt(raw ?? "1", 10);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const q = url.searchParams.get("q");
  const result =
    q === null
      ? null
      : await searchForCaller(ctx, q, {
          cursor: url.searchParams.get("after"),
          page: pageNumber(url.searchParams.get("page")),
        });
  return { q: q === null ? "" : q.slice(0, MAX_QUERY_LENGTH * 2), result };
}

function pageHref(q: string, after: string | null, page: number): string {
  const params = new URLSearchParams({ q });
  if (after) params.set("after", after);
  if (page > 1) params.set("page", String(page));
  return `/accounts?${params.toString()}`;
}

/** Each word that was not searched, and what to ask the caller for instead. */
function NotUnderstoodWords({ words }: { words: NotUnderstood[] }) {
  const { t } = useTranslation("search");
  return (
    <ul className="space-y-1 text-sm text-amber-900" data-testid="search-not-understood">
      {words.map((word, i) => (
        <li key={i}>{t(`notUnderstood.${word.kind}`, { text: word.text })}</li>
      ))}
    </ul>
  );
}

export default function AccountSearch() {
  const { q, result } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("search");
  const language = isLanguage(i18n.language) ? i18n.language : "ja";
  const searching = navigation.state === "loading" && navigation.location.pathname === "/accounts";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
        <p className="text-sm text-slate-600">{t("example")}</p>
      </div>
      <Form method="get" action="/accounts" className="flex gap-2" role="search">
        <label htmlFor="caller-search" className="sr-only">
          {t("boxLabel")}
        </label>
        <input
          id="caller-search"
          name="q"
          type="search"
          className="input"
          defaultValue={q}
          maxLength={MAX_QUERY_LENGTH}
          autoComplete="off"
          spellCheck={false}
          // The agent is on the phone: the box is where their hands go first.
          autoFocus
          placeholder={t("placeholder")}
          data-testid="caller-search-input"
        />
        <button type="submit" className="btn-primary shrink-0 whitespace-nowrap" disabled={searching}>
          {searching ? t("searching") : t("submit")}
        </button>
      </Form>

      {result?.kind === "refused" ? (
        <div role="alert" className="card space-y-2 text-sm text-amber-900">
          {result.notUnderstood ? <NotUnderstoodWords words={result.notUnderstood} /> : null}
          <p data-testid="search-message">{t(`refused.${result.code}`, { max: MAX_QUERY_LENGTH })}</p>
        </div>
      ) : null}

      {result?.kind === "results" ? (
        <section className="card space-y-3" aria-live="polite">
          <p className="text-sm text-slate-600" data-testid="search-summary">
            {result.hits.length === 0
              ? t("summary.none", { query: result.query })
              : result.totalIsLowerBound
                ? t("summary.countAtLeast", {
                    total: formatCount(result.total, language),
                    query: result.query,
                    page: result.page,
                  })
                : t("summary.count", {
                    // The plural form from the count; the figure formatted here, as for "at least": i18next's number
                    // formatter keys its cache by every value of the call, so it built a formatter per search and
                    // kept them all (ADR 073).
                    count: result.total,
                    total: formatCount(result.total, language),
                    query: result.query,
                    page: result.page,
                  })}
          </p>
          {result.searchedAs.length > 0 ? (
            <p className="text-sm text-amber-900" data-testid="search-searched-as">
              {t("searchedAs", {
                names: new Intl.ListFormat(language, { type: "disjunction" }).format(
                  result.searchedAs.map((name) => t("quotedName", { name })),
                ),
              })}
            </p>
          ) : null}
          {result.emailRetriedAs ? (
            <p className="text-sm text-amber-900" data-testid="search-email-retried">
              {t("emailRetried", { local: result.emailRetriedAs })}
            </p>
          ) : null}
          {!result.allFactsMatched ? (
            <p className="text-sm text-amber-900" data-testid="search-partial">
              {t("partial")}
            </p>
          ) : null}
          {result.nextFact ? (
            <p className="text-sm text-slate-700" data-testid="search-next-fact">
              {t(`nextFact.${result.nextFact}`)}
            </p>
          ) : null}
          {result.hits.some((hit) => hit.openCaseFirst) ? (
            <p className="text-sm text-slate-700" data-testid="search-open-case-first">
              {t("openCaseFirst")}
            </p>
          ) : null}
          {result.notUnderstood.length > 0 ? <NotUnderstoodWords words={result.notUnderstood} /> : null}
          {result.ignoredPrefecture && !result.notUnderstood.some((word) => word.kind === "address") ? (
            <p className="text-xs text-slate-500">{t("prefectureIgnored", { prefecture: result.ignoredPrefecture })}</p>
          ) : null}
          {result.hits.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="py-2 pr-3">{t("column.account")}</th>
                    <th className="py-2 pr-3">{t("column.name")}</th>
                    <th className="py-2 pr-3">{t("column.born")}</th>
                    <th className="py-2 pr-3">{t("column.contact")}</th>
                    <th className="py-2 pr-3">{t("column.status")}</th>
                    <th className="py-2 pr-3">{t("column.lastSignIn")}</th>
                    <th className="py-2">{t("column.matchedOn")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {result.hits.map((hit) => (
                    <tr key={hit.id} data-testid="search-result" data-customer-id={hit.id}>
                      <td className="py-2 pr-3 font-mono">
                        <Link className="underline" to={`/accounts/${hit.id}`}>
                          {hit.displayId}
                        </Link>
                      </td>
                      <td className="py-2 pr-3">
                        <div className="font-medium">{hit.name}</div>
                        <div className="text-xs text-slate-500">{hit.nameKana}</div>
                      </td>
                      <td className="py-2 pr-3">{hit.birthYear}</td>
                      <td className="py-2 pr-3 font-mono text-xs">
                        <div>{hit.maskedPhone}</div>
                        <div>{hit.maskedEmail}</div>
                      </td>
                      <td className="space-x-1 py-2 pr-3">
                        <AccountStatusBadge status={hit.status} />
                        {hit.caseStatus ? <CaseStatusBadge status={hit.caseStatus} /> : null}
                      </td>
                      <td className="py-2 pr-3 text-xs">{formatJst(hit.lastSignInAt, language)}</td>
                      <td className="py-2 text-xs text-slate-600">
                        {[...new Set([hit.matchedBy, ...hit.matched])].map((by) => t(`matchedBy.${by}`)).join(" · ")}
                        {hit.openCaseFirst ? (
                          <div className="font-medium text-amber-900" data-testid="search-open-case-first-row">
                            {t("openCaseFirstRow")}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <nav className="flex items-center gap-3 text-sm" aria-label={t("pages")}>
            {result.page > 1 ? (
              <Link className="underline" to={pageHref(result.query, null, 1)}>
                {t("firstPage")}
              </Link>
            ) : null}
            {result.nextCursor ? (
              <Link
                className="underline"
                to={pageHref(result.query, result.nextCursor, result.page + 1)}
                data-testid="next-page"
              >
                {t("nextPage")}
              </Link>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}

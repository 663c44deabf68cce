// The caller search: one box for whatever the caller reads out (phone, email, name in any script, display ID, device
// ID, IP). A GET form, so a search is a link an agent can share with a colleague and the back button works. Every
// search that shows data is audited (app/accounts/caller-search.server.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { searchForCaller } from "~/accounts/caller-search.server";
import { MAX_QUERY_LENGTH } from "~/accounts/search-key";
import type { MatchedBy } from "~/accounts/search.server";
import { AccountStatusBadge, CaseStatusBadge } from "~/accounts/ui/badges";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { formatJst } from "~/lib/format";

export const permission: Permission = "accounts:search";

export const meta: MetaFunction = () => [{ title: "Accounts · Firebreak" }];

const MATCHED_BY: Record<MatchedBy, string> = {
  phone: "phone number",
  email: "email",
  displayId: "display ID",
  customerId: "customer ID",
  deviceId: "device ID",
  fingerprint: "device fingerprint",
  ip: "signed in from this IP",
  name: "full name",
  namePrefix: "name starts with",
  givenName: "given name",
  similarName: "similar name",
};

function pageNumber(raw: string | null): number {
  const value = Number.parseInt(raw ?? "1", 10);
  return Number.isFinite(value) && value > 0 ? value : 1;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const q = url.searchParams.get("q");
  const result = q === null ? null : await searchForCaller(ctx, q, pageNumber(url.searchParams.get("page")));
  return json(
    { q: q === null ? "" : q.slice(0, MAX_QUERY_LENGTH * 2), result },
    { headers: { "Cache-Control": "no-store" } },
  );
}

function pageHref(q: string, page: number): string {
  return `/accounts?${new URLSearchParams({ q, page: String(page) }).toString()}`;
}

export default function AccountSearch() {
  const { q, result } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/accounts";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Find an account</h1>
        <p className="text-sm text-slate-600">
          Phone number in any form (090-1234-5678, +81 90 1234 5678), email, name in kanji or kana (add a birth year to
          narrow: 田中 1985), display ID, device ID or IP address.
        </p>
      </div>
      <Form method="get" action="/accounts" className="flex gap-2" role="search">
        <label htmlFor="caller-search" className="sr-only">
          Search for a caller
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
          placeholder="090-1234-5678 · tanaka@example.jp · 田中 太郎 · W-00012345"
          data-testid="caller-search-input"
        />
        <button type="submit" className="btn-primary" disabled={searching}>
          {searching ? "Searching…" : "Search"}
        </button>
      </Form>

      {result?.kind === "refused" ? (
        <p role="alert" className="card text-sm text-amber-900" data-testid="search-message">
          {result.message}
        </p>
      ) : null}

      {result?.kind === "results" ? (
        <section className="card space-y-3" aria-live="polite">
          <p className="text-sm text-slate-600" data-testid="search-summary">
            {result.hits.length === 0
              ? `No account matches “${result.query}”.`
              : `Page ${result.page}: ${result.hits.length} account${result.hits.length === 1 ? "" : "s"} for “${result.query}” (searched as ${result.kinds.join(", ")}).`}
          </p>
          {result.hits.length > 0 ? (
            <div className="overflow-x-auto">
              <table className="min-w-full text-sm">
                <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
                  <tr>
                    <th className="py-2 pr-3">Account</th>
                    <th className="py-2 pr-3">Name</th>
                    <th className="py-2 pr-3">Born</th>
                    <th className="py-2 pr-3">Contact</th>
                    <th className="py-2 pr-3">Status</th>
                    <th className="py-2 pr-3">Last sign-in</th>
                    <th className="py-2">Matched on</th>
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
                      <td className="py-2 pr-3 text-xs">{formatJst(hit.lastSignInAt)}</td>
                      <td className="py-2 text-xs text-slate-600">{MATCHED_BY[hit.matchedBy]}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <nav className="flex items-center gap-3 text-sm" aria-label="Result pages">
            {result.page > 1 ? (
              <Link className="underline" to={pageHref(result.query, result.page - 1)}>
                ← Previous
              </Link>
            ) : null}
            {result.hasMore ? (
              <Link className="underline" to={pageHref(result.query, result.page + 1)} data-testid="next-page">
                Next →
              </Link>
            ) : null}
            {result.truncated ? (
              <span className="text-amber-900">
                More accounts match than can be paged through: add the given name or a birth year.
              </span>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}

// The caller search: one box for whatever the caller reads out (phone, email, name in any script, display ID, device
// ID, IP). A GET form, so a search is a link an agent can share with a colleague and the back button works. Every
// search that shows data is audited (app/accounts/caller-search.server.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { searchForCaller } from "~/accounts/caller-search.server";
import { MAX_QUERY_LENGTH } from "~/accounts/search-key";
import type { MatchedBy, NextFact } from "~/accounts/search.server";
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
  reading: "full name (reading)",
  familyName: "family name",
  namePrefix: "name starts with",
  givenName: "given name",
  similarName: "similar name (one character differs)",
  birthDate: "birth date",
  birthYear: "birth year",
  phoneLast4: "phone last 4",
  cardLast4: "card last 4",
  emailLocal: "email before the @",
  emailDomain: "email domain",
};

const NEXT_FACT: Record<NextFact, string> = {
  birthDate: "ask for the birth date",
  phoneLast4: "ask for the last 4 digits of the phone number",
  givenName: "ask for the given name",
  birthYear: "ask for the birth year",
  emailLocal: "ask for the email address (the part before the @ is enough)",
};

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
  return json(
    { q: q === null ? "" : q.slice(0, MAX_QUERY_LENGTH * 2), result },
    { headers: { "Cache-Control": "no-store" } },
  );
}

function pageHref(q: string, after: string | null, page: number): string {
  const params = new URLSearchParams({ q });
  if (after) params.set("after", after);
  if (page > 1) params.set("page", String(page));
  return `/accounts?${params.toString()}`;
}

function countText(total: number, lowerBound: boolean): string {
  const count = total.toLocaleString("en-US");
  return lowerBound ? `${count} or more accounts` : `${count} account${total === 1 ? "" : "s"}`;
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
          Type what the caller tells you, several facts at once: name in kanji or kana, birth date or year (1985-04-01,
          昭和60年), last 4 digits of the phone or card, email or the part before the @, phone number, display ID,
          device ID or IP address. Example: 佐藤 翔太 1985 5678.
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
              : `${countText(result.total, result.totalIsLowerBound)} for “${result.query}” · page ${result.page}`}
          </p>
          {!result.allFactsMatched ? (
            <p className="text-sm text-amber-900" data-testid="search-partial">
              No account matches everything the caller said: these match some of it. Check each fact with the caller.
            </p>
          ) : null}
          {result.nextFact ? (
            <p className="text-sm text-slate-700" data-testid="search-next-fact">
              To narrow this down, {NEXT_FACT[result.nextFact]}.
            </p>
          ) : null}
          {result.ignoredPrefecture ? (
            <p className="text-xs text-slate-500">
              {result.ignoredPrefecture}: customers&apos; addresses are not recorded, so the prefecture did not narrow
              the search.
            </p>
          ) : null}
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
                      <td className="py-2 text-xs text-slate-600">
                        {[...new Set([hit.matchedBy, ...hit.matched])].map((by) => MATCHED_BY[by]).join(" · ")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <nav className="flex items-center gap-3 text-sm" aria-label="Result pages">
            {result.page > 1 ? (
              <Link className="underline" to={pageHref(result.query, null, 1)}>
                ← First page
              </Link>
            ) : null}
            {result.nextCursor ? (
              <Link
                className="underline"
                to={pageHref(result.query, result.nextCursor, result.page + 1)}
                data-testid="next-page"
              >
                Next →
              </Link>
            ) : null}
          </nav>
        </section>
      ) : null}
    </div>
  );
}

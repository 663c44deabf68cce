// Bulk reversal, step 1 and 2: choose the accounts (an incident's cases, a saved cohort, or a list of customer IDs)
// and the window of charges, see the dry run — accounts, charges and the yen totals, and which accounts' wallets
// would not cover their refunds, and which purchases the job will skip because their account is not secured yet (a
// list of those accounts, to freeze or reset them before confirming, and a way to freeze them all in one job: ADR 105)
// — then confirm for what will actually be reversed. Confirming needs a fresh step-up and starts a durable job; the job
// reverses exactly the charges of this dry run (its digest is checked) and the page moves to the job's progress.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { confirmActionWithCode, needsConfirmationCode, steppedUpBy } from "~/auth/action-confirmation.server";
import { BulkReversalQueryFields, bulkReversalForm, bulkReversalParams } from "~/ledger/bulk-reversal-query.server";
import { BULK_REVERSAL_START, previewBulkReversal, startBulkReversal } from "~/jobs/bulk-reversal.server";
import type { BulkReversalParams } from "~/ledger/bulk-reversal-plan.server";
import { yen } from "~/ledger/money";
import { reversalContextOf } from "~/ledger/reversal-context.server";
import { newIdempotencyKey } from "~/ledger/reversal-views.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount, formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { readForm } from "~/lib/form.server";
import { BoundCodeField } from "~/components/bound-code-field";
import { useReasonLabel } from "~/ledger/ui/reason-label";

export const permission: Permission = "bulk:run";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reversals:bulk.pageTitle") }];

const ACCOUNTS_PER_PAGE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const query = BulkReversalQueryFields.safeParse(Object.fromEntries(url.searchParams));
  const t = translatorFor(ctx.staff.language, "reversals");
  const form = await bulkReversalForm(query.success ? query.data : null);
  const base = {
    incidents: form.incidents,
    cohorts: form.cohorts,
    reasons: form.reasons,
    steppedUp: hasRecentStepUp(ctx),
    idempotencyKey: newIdempotencyKey(),
  };
  if (!query.success) return { ...base, query: form.query, error: t("bulk.invalidForm"), plan: null };
  const filled = form.query;
  if (url.searchParams.get("run") !== "1") return { ...base, query: filled, error: null, plan: null };
  const parsed = await bulkReversalParams(filled, t);
  if ("error" in parsed) return { ...base, query: filled, error: parsed.error, plan: null };
  try {
    const plan = await previewBulkReversal(parsed.params);
    const page = Math.max(1, Number(url.searchParams.get("page")) || 1);
    // "Only the unsecured accounts": the list the lead works through (freeze or reset) before confirming.
    const onlyUnsecured = url.searchParams.get("unsecured") === "1";
    const listed = onlyUnsecured ? plan.accounts.filter((a) => a.unsecuredPurchases > 0) : plan.accounts;
    const accounts = listed.slice((page - 1) * ACCOUNTS_PER_PAGE, page * ACCOUNTS_PER_PAGE);
    const shown = new Set(accounts.map((a) => a.customerId));
    const unsecured = new Set(plan.unsecured);
    return {
      ...base,
      query: filled,
      error: null,
      plan: {
        params: plan.params,
        digest: plan.digest,
        scope: plan.scope,
        totals: plan.totals,
        needsCode: needsConfirmationCode({ yen: plan.totals.yen, accounts: plan.totals.accounts }),
        accounts,
        charges: plan.charges
          .filter((c) => shown.has(c.customerId))
          .map((c) => ({ ...c, skipped: unsecured.has(c.transactionId) })),
        onlyUnsecured,
        cohortId: plan.params.scope.kind === "cohort" ? plan.params.scope.cohortId : null,
        page,
        pages: Math.max(1, Math.ceil(listed.length / ACCOUNTS_PER_PAGE)),
      },
    };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { ...base, query: filled, error: translateDomainError(ctx.staff.language, error), plan: null };
  }
}

const ConfirmFields = z.object({
  confirmationCode: z.string().max(20).optional(),
  params: z.string().max(400_000),
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  idempotencyKey: z.string().max(120),
});

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const parsed = ConfirmFields.safeParse(Object.fromEntries(await readForm(request, ctx.staff.language)));
  const t = translatorFor(ctx.staff.language, "reversals");
  if (!parsed.success) return data({ error: t("bulk.incomplete") }, { status: 400 });
  // Starting moves money for many accounts: a fresh code first. Above the bounds the code typed on this form is that
  // fresh code (ADR 017); below them the lead steps up and comes back to this dry run to confirm.
  const code = parsed.data.confirmationCode?.trim();
  if (!code) await requireStepUp(request, ctx);
  let params: BulkReversalParams;
  try {
    params = JSON.parse(parsed.data.params) as BulkReversalParams;
  } catch {
    return data({ error: t("bulk.incomplete") }, { status: 400 });
  }
  try {
    // Above the bulk confirmation bounds the code typed on this form is what authorises this very dry run (verified
    // and consumed here, checked against the recomputed digest in the domain).
    const confirmation = code
      ? await confirmActionWithCode(ctx, code, { action: BULK_REVERSAL_START, digest: parsed.data.digest })
      : null;
    const started = await startBulkReversal(reversalContextOf(confirmation ? steppedUpBy(ctx, confirmation) : ctx), {
      params,
      digest: parsed.data.digest,
      idempotencyKey: parsed.data.idempotencyKey,
      confirmation,
    });
    if (started.replayed) return redirect(`/jobs/${started.jobId}`);
    return redirectWithToast(`/jobs/${started.jobId}`, { kind: "success", message: t("bulk.started") });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function BulkReversal() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { query, plan } = data;
  const { t, i18n } = useTranslation("reversals");
  const reasonLabel = useReasonLabel();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const money = (amount: number) => yen(amount, language);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to="/jobs" className="underline">
            {t("bulk.breadcrumb")}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{t("bulk.title")}</h1>
      </div>

      <Form method="get" className="card grid gap-4 md:grid-cols-2" data-testid="bulk-scope-form">
        <input type="hidden" name="run" value="1" />
        <fieldset className="space-y-2">
          <legend className="label">{t("bulk.accounts")}</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="incident" defaultChecked={query.scope === "incident"} />{" "}
            {t("bulk.scopeIncident")}
          </label>
          <select name="incidentId" defaultValue={query.incidentId} className="input">
            {data.incidents.map((i) => (
              <option key={i.id} value={i.id}>
                {i.code} — {i.title}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="cohort" defaultChecked={query.scope === "cohort"} />{" "}
            {t("bulk.scopeCohort")}
          </label>
          <select name="cohortId" defaultValue={query.cohortId} className="input">
            <option value="">—</option>
            {data.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {t("bulk.cohortOption", { name: c.name, n: formatCount(c.memberCount, language) })}
              </option>
            ))}
          </select>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="scope" value="customers" defaultChecked={query.scope === "customers"} />{" "}
            {t("bulk.scopeCustomers")}
          </label>
          <textarea
            name="customers"
            defaultValue={query.customers}
            className="input"
            rows={2}
            placeholder={t("bulk.uuids")}
          />
        </fieldset>
        <div className="space-y-3">
          <div className="grid grid-cols-2 gap-2">
            <label className="text-sm">
              <span className="label">{t("bulk.from")}</span>
              <JstDateTimeInput name="since" defaultValue={query.since} />
            </label>
            <label className="text-sm">
              <span className="label">{t("bulk.until")}</span>
              <JstDateTimeInput name="until" defaultValue={query.until} />
            </label>
          </div>
          <label className="block text-sm">
            <span className="label">{t("bulk.reason")}</span>
            <select name="reasonCode" defaultValue={query.reasonCode} className="input mt-1">
              {data.reasons.map((r) => (
                <option key={r.code} value={r.code}>
                  {reasonLabel(r.code, r.label)}
                </option>
              ))}
            </select>
          </label>
          <label className="block text-sm">
            <span className="label">{t("bulk.note")}</span>
            <input name="note" defaultValue={query.note} className="input mt-1" />
          </label>
          <button type="submit" className="btn-primary">
            {t("bulk.dryRun")}
          </button>
        </div>
      </Form>

      {data.error || actionData?.error ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
          {actionData?.error ?? data.error}
        </p>
      ) : null}

      {plan ? (
        <>
          <section className="card space-y-3" data-testid="dry-run">
            <h2 className="font-semibold">
              {t("bulk.dryRunOf", { label: t(plan.scope.labelKey.key as never, plan.scope.labelKey.params) })}
            </h2>
            <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
              <div>
                <dt className="text-slate-500">{t("bulk.accounts")}</dt>
                <dd className="text-lg font-semibold" data-testid="dry-run-accounts">
                  {formatCount(plan.totals.accounts, language)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("bulk.charges")}</dt>
                <dd className="text-lg font-semibold" data-testid="dry-run-charges">
                  {formatCount(plan.totals.toReverseCharges, language)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("bulk.backToWallets")}</dt>
                <dd className="text-lg font-semibold" data-testid="dry-run-purchases">
                  {money(plan.totals.purchaseYen - plan.totals.unsecuredYen)}
                </dd>
              </div>
              <div>
                <dt className="text-slate-500">{t("bulk.backToCards")}</dt>
                <dd className="text-lg font-semibold" data-testid="dry-run-topups">
                  {money(plan.totals.topUpYen)}
                </dd>
              </div>
            </dl>
            <p className="text-sm">{t("bulk.inAll", { amount: money(plan.totals.toReverseYen) })}</p>
            {plan.totals.unsecuredCharges > 0 ? (
              <UnsecuredWarning
                charges={plan.totals.unsecuredCharges}
                yen={plan.totals.unsecuredYen}
                accounts={plan.totals.unsecuredAccounts}
                onlyUnsecured={plan.onlyUnsecured}
                cohortId={plan.cohortId}
              />
            ) : null}
            {plan.totals.excludedCharges > 0 ? (
              <p className="text-sm text-amber-900" data-testid="bulk-excluded">
                {t("bulk.excluded", {
                  n: formatCount(plan.totals.excludedCharges, language),
                  amount: money(plan.totals.excludedYen),
                })}
              </p>
            ) : null}
            {plan.totals.accountsShort > 0 ? (
              <p className="text-sm text-amber-900" role="status">
                {t("bulk.short", {
                  n: formatCount(plan.totals.accountsShort, language),
                  amount: money(plan.totals.shortfallYen),
                })}
              </p>
            ) : null}
            {plan.totals.toReverseCharges > 0 ? (
              <Form method="post" className="flex flex-wrap items-center gap-3">
                <input type="hidden" name="params" value={JSON.stringify(plan.params)} />
                <input type="hidden" name="digest" value={plan.digest} />
                <input type="hidden" name="idempotencyKey" value={data.idempotencyKey} />
                {plan.needsCode ? (
                  <BoundCodeField
                    label={t("bulk.codeLabel")}
                    help={t("bulk.codeHelp")}
                    testId="bulk-confirmation-code"
                  />
                ) : null}
                <button type="submit" className="btn-danger" disabled={navigation.state === "submitting"}>
                  {t("bulk.confirmCount", {
                    n: formatCount(plan.totals.toReverseCharges, language),
                    amount: money(plan.totals.toReverseYen),
                  })}
                </button>
                {!data.steppedUp && !plan.needsCode ? (
                  <span className="text-sm text-slate-600">{t("bulk.stepUpFirst")}</span>
                ) : null}
              </Form>
            ) : (
              <p className="text-sm text-slate-600">
                {plan.totals.charges > 0 ? t("bulk.nothingUntilSecured") : t("bulk.nothingLeft")}
              </p>
            )}
          </section>

          <section className="card space-y-2">
            <h2 className="font-semibold">{t("bulk.accountsPage", { page: plan.page, pages: plan.pages })}</h2>
            <table className="min-w-full text-sm">
              <thead className="text-left text-slate-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">{t("bulk.account")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("bulk.purchases")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("bulk.topUps")}</th>
                  <th className="py-1 pr-4 text-right font-medium">{t("bulk.walletNowAfter")}</th>
                  <th className="py-1 font-medium">{t("bulk.charges")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {plan.accounts.map((a) => (
                  <tr key={a.customerId} className="align-top">
                    <td className="py-1 pr-4">
                      <Link to={`/accounts/${a.customerId}/reverse`} className="underline">
                        {a.displayId}
                      </Link>{" "}
                      {a.name}
                      {a.unsecuredPurchases > 0 ? (
                        <span className="mt-1 block text-amber-900" data-testid="bulk-unsecured-account">
                          {t("bulk.unsecuredAccount", {
                            n: formatCount(a.unsecuredPurchases, language),
                            amount: money(a.unsecuredYen),
                          })}{" "}
                          <Link to={`/accounts/${a.customerId}`} className="underline">
                            {t("bulk.secureIt")}
                          </Link>
                        </span>
                      ) : null}
                    </td>
                    <td className="py-1 pr-4 text-right tabular-nums">
                      {formatCount(a.purchases, language)} · {money(a.purchaseYen)}
                    </td>
                    <td className="py-1 pr-4 text-right tabular-nums">
                      {formatCount(a.topUps, language)} · {money(a.topUpYen)}
                    </td>
                    <td className={`py-1 pr-4 text-right tabular-nums ${a.projectedWallet < 0 ? "text-red-800" : ""}`}>
                      {money(a.walletBalance)} → {money(a.projectedWallet)}
                    </td>
                    <td className="py-1">
                      <details>
                        <summary className="cursor-pointer text-slate-600">
                          {t("bulk.chargeCount", { n: formatCount(a.purchases + a.topUps, language) })}
                        </summary>
                        <ul className="mt-1 space-y-0.5">
                          {plan.charges
                            .filter((c) => c.customerId === a.customerId)
                            .map((c) => (
                              <li key={c.transactionId}>
                                {formatJst(c.occurredAt, language)}{" "}
                                {c.kind === "PURCHASE"
                                  ? t("bulk.purchaseAt", { store: c.storeCode })
                                  : t("bulk.cardTopUp")}{" "}
                                {money(c.remaining)}
                                {c.reversed > 0 ? t("bulk.ofAmount", { amount: money(c.amount) }) : ""}
                                {c.skipped ? t("bulk.skippedUnsecured") : ""}
                              </li>
                            ))}
                        </ul>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {plan.pages > 1 ? <Pager page={plan.page} pages={plan.pages} /> : null}
          </section>
        </>
      ) : null}
    </div>
  );
}

/** Said before anything is queued: which purchases the job will skip, and where to secure their accounts. */
function UnsecuredWarning(props: {
  charges: number;
  yen: number;
  accounts: number;
  onlyUnsecured: boolean;
  cohortId: string | null;
}) {
  const location = useLocation();
  const { t, i18n } = useTranslation("reversals");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const params = new URLSearchParams(location.search);
  params.delete("page");
  // The same dry run's query: the freeze page reads exactly these unsecured accounts again (ADR 105).
  const freeze = new URLSearchParams(params);
  freeze.delete("unsecured");
  if (props.onlyUnsecured) params.delete("unsecured");
  else params.set("unsecured", "1");
  return (
    <div
      className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200"
      data-testid="bulk-unsecured"
    >
      <p role="status">
        {t("bulk.unsecured", {
          n: formatCount(props.charges, language),
          amount: yen(props.yen, language),
          accounts: formatCount(props.accounts, language),
        })}
      </p>
      <p className="mt-2 flex flex-wrap gap-4">
        <Link to={`/reversals/bulk/freeze?${freeze.toString()}`} className="font-semibold underline">
          {t("bulk.freezeAll", { n: formatCount(props.accounts, language) })}
        </Link>
        <Link to={`?${params.toString()}`} className="underline">
          {props.onlyUnsecured ? t("bulk.showAllAccounts") : t("bulk.showUnsecured")}
        </Link>
        {props.cohortId ? (
          <Link to={`/cohorts/${props.cohortId}`} className="underline">
            {t("bulk.cohortReset")}
          </Link>
        ) : null}
      </p>
    </div>
  );
}

function Pager({ page, pages }: { page: number; pages: number }) {
  const location = useLocation();
  const { t } = useTranslation("reversals");
  const link = (to: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(to));
    return `?${params.toString()}`;
  };
  return (
    <div className="flex gap-3 text-sm">
      {page > 1 ? (
        <Link to={link(page - 1)} className="underline">
          {t("bulk.previous")}
        </Link>
      ) : null}
      {page < pages ? (
        <Link to={link(page + 1)} className="underline">
          {t("bulk.next")}
        </Link>
      ) : null}
    </div>
  );
}

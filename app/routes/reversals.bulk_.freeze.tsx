// Freeze, in one job, every account the bulk reversal's dry run would skip as unsecured (ADR 105). Opened from that
// dry run with the same query: shows how many accounts and which, asks for a reason, and confirms with a fresh step-up
// (above the bulk bounds, a code typed here and bound to exactly these accounts). The job's page shows its progress
// and leads back to the dry run, which then finds these accounts secured.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { BoundCodeField } from "~/components/bound-code-field";
import { confirmActionWithCode, steppedUpBy } from "~/auth/action-confirmation.server";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { BULK_FREEZE_START, previewBulkFreeze, startBulkFreeze } from "~/jobs/bulk-freeze.server";
import { BulkReversalQueryFields, bulkReversalForm, bulkReversalParams } from "~/ledger/bulk-reversal-query.server";
import { BulkReversalParamsSchema } from "~/ledger/bulk-reversal-plan.server";
import { yen } from "~/ledger/money";
import { newIdempotencyKey } from "~/ledger/reversal-views.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount } from "~/lib/format";
import { readForm } from "~/lib/form.server";
import { redirectWithToast } from "~/lib/toast.server";

// The dry run of the bulk reversal it comes from is a bulk:run page; the freeze itself is checked for accounts:freeze
// in the domain and at every batch.
export const permission: Permission = "bulk:run";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "reversals:bulkFreeze.pageTitle") }];

const LISTED_ACCOUNTS = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  const t = translatorFor(ctx.staff.language, "reversals");
  const query = BulkReversalQueryFields.safeParse(Object.fromEntries(url.searchParams));
  const back = `/reversals/bulk?${url.searchParams.toString()}`;
  const base = { back, steppedUp: hasRecentStepUp(ctx), idempotencyKey: newIdempotencyKey() };
  if (!query.success) return { ...base, error: t("bulk.invalidForm"), preview: null };
  const form = await bulkReversalForm(query.data);
  const parsed = await bulkReversalParams(form.query, t);
  if ("error" in parsed) return { ...base, error: parsed.error, preview: null };
  try {
    const preview = await previewBulkFreeze(parsed.params);
    return {
      ...base,
      error: null,
      preview: {
        reversal: JSON.stringify(preview.reversal),
        digest: preview.digest,
        needsCode: preview.needsCode,
        count: preview.accounts.length,
        unsecuredYen: preview.unsecuredYen,
        accounts: preview.accounts.slice(0, LISTED_ACCOUNTS),
      },
    };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { ...base, error: translateDomainError(ctx.staff.language, error), preview: null };
  }
}

/** The dry run the page rendered into the form, read back with the domain's own schema of it: nothing else passes. */
const DryRunField = z
  .string()
  .max(400_000)
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // Never shown: any failure here is answered with the form's "run the dry run again" (bulk.incomplete).
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "reversals:bulk.incomplete" });
      return z.NEVER;
    }
  })
  .pipe(BulkReversalParamsSchema);

const ConfirmFields = z.object({
  reversal: DryRunField,
  digest: z.string().regex(/^[0-9a-f]{64}$/),
  idempotencyKey: z.string().max(120),
  reason: z.string().max(2000),
  confirmationCode: z.string().max(20).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const language = ctx.staff.language;
  const t = translatorFor(language, "reversals");
  const parsed = ConfirmFields.safeParse(Object.fromEntries(await readForm(request, language)));
  if (!parsed.success) return data({ error: t("bulk.incomplete") }, { status: 400 });
  // Freezing many accounts at once: a fresh code first, as for the bulk reversal. Above the bounds the code typed on
  // this form is that code, bound to these accounts (ADR 017); below them the lead steps up and comes back here.
  const code = parsed.data.confirmationCode?.trim();
  if (!code) await requireStepUp(request, ctx);
  try {
    const confirmation = code
      ? await confirmActionWithCode(ctx, code, { action: BULK_FREEZE_START, digest: parsed.data.digest })
      : null;
    const started = await startBulkFreeze(confirmation ? steppedUpBy(ctx, confirmation) : ctx, {
      reversal: parsed.data.reversal,
      reason: parsed.data.reason,
      digest: parsed.data.digest,
      idempotencyKey: parsed.data.idempotencyKey,
      confirmation,
    });
    return redirectWithToast(`/jobs/${started.jobId}`, {
      kind: "success",
      message: started.replayed
        ? t("bulkFreeze.startedOnce")
        : t("bulkFreeze.started", { n: formatCount(started.accounts, language) }),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(language, error) }, { status: error.status });
  }
}

export default function BulkFreeze() {
  const { preview, error, back, steppedUp, idempotencyKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation("reversals");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const shown = actionData?.error ?? error;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link to={back} className="underline">
            {t("bulkFreeze.back")}
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{t("bulkFreeze.title")}</h1>
      </div>
      {shown ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="bulk-freeze-error">
          {shown}
        </p>
      ) : null}
      {preview ? (
        <section className="card space-y-3" data-testid="bulk-freeze-dry-run">
          {preview.count === 0 ? (
            <p className="text-sm">{t("bulkFreeze.none")}</p>
          ) : (
            <>
              <p className="text-sm" data-testid="bulk-freeze-count">
                {t("bulkFreeze.summary", {
                  n: formatCount(preview.count, language),
                  amount: yen(preview.unsecuredYen, language),
                })}
              </p>
              <Form method="post" className="space-y-3">
                <input type="hidden" name="reversal" value={preview.reversal} />
                <input type="hidden" name="digest" value={preview.digest} />
                <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
                <label className="block text-sm">
                  <span className="label">{t("bulkFreeze.reason")}</span>
                  <input
                    name="reason"
                    className="input mt-1"
                    required
                    minLength={3}
                    maxLength={500}
                    data-testid="bulk-freeze-reason"
                  />
                </label>
                {preview.needsCode ? (
                  <BoundCodeField
                    label={t("bulkFreeze.codeLabel")}
                    help={t("bulkFreeze.codeHelp")}
                    testId="bulk-freeze-code"
                  />
                ) : null}
                <div className="flex flex-wrap items-center gap-3">
                  <button
                    type="submit"
                    className="btn-danger"
                    disabled={navigation.state === "submitting"}
                    data-testid="bulk-freeze-confirm"
                  >
                    {t("bulkFreeze.confirm", { n: formatCount(preview.count, language) })}
                  </button>
                  {!steppedUp && !preview.needsCode ? (
                    <span className="text-sm text-slate-600">{t("bulk.stepUpFirst")}</span>
                  ) : null}
                </div>
              </Form>
              <table className="min-w-full text-sm">
                <thead className="text-left text-slate-500">
                  <tr>
                    <th className="py-1 pr-4 font-medium">{t("bulk.account")}</th>
                    <th className="py-1 text-right font-medium">{t("bulkFreeze.skipped")}</th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {preview.accounts.map((a) => (
                    <tr key={a.customerId} data-testid="bulk-freeze-account">
                      <td className="py-1 pr-4">
                        <Link to={`/accounts/${a.customerId}`} className="underline">
                          {a.displayId}
                        </Link>{" "}
                        {a.name}
                      </td>
                      <td className="py-1 text-right tabular-nums">
                        {formatCount(a.unsecuredPurchases, language)} · {yen(a.unsecuredYen, language)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {preview.count > preview.accounts.length ? (
                <p className="text-sm text-slate-600">
                  {t("bulkFreeze.more", { n: formatCount(preview.count - preview.accounts.length, language) })}
                </p>
              ) : null}
            </>
          )}
        </section>
      ) : null}
    </div>
  );
}

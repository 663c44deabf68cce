// The review queue of held top-ups: approve (the money is added now) or decline (it never moves).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import type { Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { ListTable } from "~/components/list-table";
import { formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { approveReview, declineReview, listPendingReviews } from "~/risk/reviews.server";
import { ReviewDecisionSchema } from "~/risk/schemas";
import { parseForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "risk:review";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "risk:reviews.title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const pending = await listPendingReviews();
  // One key per decision form in this rendering (ADR 112): a double click or a resent post decides once.
  const submissionKeys: Record<string, string> = Object.fromEntries(
    pending.flatMap((r) =>
      (["approve", "decline"] as const).map((intent) => [`${r.id}-${intent}`, newSubmissionKey()]),
    ),
  );
  return { pending, submissionKeys, language: (ctx.staff.language ?? "ja") as Language };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const submission = await parseForm(request, ReviewDecisionSchema, ctx.staff.language);
  const t = translatorFor(ctx.staff.language, "risk");
  if (submission.status !== "success") return data({ error: t("validation.noSuchReview") }, { status: 400 });
  const { reviewId, intent, submissionKey } = submission.value;
  try {
    if (intent === "approve") {
      // Money moves now: the lead re-enters a code first (and comes back to this page to approve).
      await requireStepUp(request, ctx);
      const { amount } = await approveReview(ctx, reviewId, submissionKey);
      return redirectWithToast("/reviews", {
        kind: "success",
        message: t("reviews.approved", { amount: formatYen(amount, ctx.staff.language) }),
      });
    }
    await declineReview(ctx, reviewId, submissionKey);
    return redirectWithToast("/reviews", { kind: "success", message: t("reviews.declined") });
  } catch (error) {
    // The same rendered form sent again by the same member: back to the queue, where the top-up is no longer waiting
    // (audited ALREADY_SUBMITTED by the spine), not told someone else decided it.
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast("/reviews", { kind: "success", message: t("reviews.sentOnce") });
    }
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function Reviews() {
  const { pending, submissionKeys, language } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("risk");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("reviews.title")}</h1>
        <p className="text-sm text-slate-600">{t("reviews.intro")}</p>
      </div>
      {actionData?.error ? (
        <p role="alert" className="text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      <ListTable
        columns={[
          { label: t("reviews.held") },
          { label: t("reviews.customer") },
          { label: t("reviews.amount"), numeric: true },
          { label: t("reviews.rule") },
          { label: t("reviews.triggers") },
          { label: null },
        ]}
        isEmpty={pending.length === 0}
        emptyText={t("reviews.empty")}
        emptyTestId="reviews-empty"
        testId="reviews"
        className="card overflow-x-auto"
      >
        {pending.map((r) => (
          <tr key={r.id}>
            <td className="py-1 pr-4 whitespace-nowrap">{formatJst(r.createdAt, language)}</td>
            <td className="py-1 pr-4 font-mono text-xs">{r.customerId}</td>
            <td className="py-1 pr-4 text-right tabular-nums">{formatYen(r.amount, language)}</td>
            <td className="py-1 pr-4">
              {r.decision.ruleKey} v{r.decision.ruleVersion}
            </td>
            <td className="py-1 pr-4 font-mono text-xs">{JSON.stringify(r.decision.features)}</td>
            <td className="flex gap-2 py-1">
              {(["approve", "decline"] as const).map((intent) => (
                <Form method="post" key={intent}>
                  <input type="hidden" name="submissionKey" value={submissionKeys[`${r.id}-${intent}`]} />
                  <input type="hidden" name="reviewId" value={r.id} />
                  <input type="hidden" name="intent" value={intent} />
                  <button type="submit" className={intent === "approve" ? "btn-primary" : "btn-danger"}>
                    {t(`reviews.${intent}`)}
                  </button>
                </Form>
              ))}
            </td>
          </tr>
        ))}
      </ListTable>
    </div>
  );
}

// The security leads' queue, oldest first: reversals waiting for approval, and requests to keep a contact that a
// suspicious change set (decided here, never by the requester).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { listPendingApprovals } from "~/ledger/reversal-views.server";
import { isDomainError } from "~/lib/domain-error";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import { ListTable } from "~/components/list-table";
import { formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { decideKeepContact, listPendingKeepRequests } from "~/recovery/keep-contact.server";
import { DecideKeepFields } from "~/recovery/schemas";
import { KeepRequestsPanel } from "~/recovery/ui/keep-requests-panel";
import { z } from "zod";
import { parseForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "approvals:decide";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "approvals:pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return { pending: await listPendingApprovals(), keeps: await listPendingKeepRequests(), me: ctx.staff.id };
}

const KeepDecisionForm = DecideKeepFields.extend({ requestId: z.string().uuid("approvals:noSuchRequest") });

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const language = ctx.staff.language;
  const t = translatorFor(language, "approvals");
  const submission = await parseForm(request, KeepDecisionForm, language);
  if (submission.status !== "success") {
    const first = Object.values(submission.error ?? {}).flat()[0];
    return data({ error: first ? translateMessage(language, first) : t("chooseKeep") }, { status: 400 });
  }
  // Approving lets a reset link go to a contact an attacker may have set: the lead re-enters a code first.
  if (submission.value.decision === "approve") await requireStepUp(request, ctx);
  try {
    const decided = await decideKeepContact(ctx, submission.value);
    return redirectWithToast("/approvals", {
      kind: decided.status === "APPROVED" ? "success" : "info",
      message: decided.status === "APPROVED" ? t("toast.keepApproved") : t("toast.keepRejected"),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(language, error) }, { status: error.status });
  }
}

export default function Approvals() {
  const { pending, keeps, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("approvals");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">{t("title")}</h1>
      <ListTable
        columns={[
          { label: t("requested") },
          { label: t("by") },
          { label: t("account") },
          { label: t("amount"), numeric: true },
          { label: t("whyWaits") },
          { label: null },
        ]}
        isEmpty={pending.length === 0}
        emptyText={t("empty")}
        emptyTestId="approvals-empty"
        testId="approvals"
      >
        {pending.map((r) => (
          <tr key={r.id}>
            <td className="py-1 pr-4 whitespace-nowrap">{formatJst(r.requestedAt, language)}</td>
            <td className="py-1 pr-4">{r.requestedById === me ? t("you", { name: r.requestedBy }) : r.requestedBy}</td>
            <td className="py-1 pr-4">
              {r.customer.displayId} · {r.customer.name}
            </td>
            <td className="py-1 pr-4 text-right tabular-nums">{formatYen(r.amount, language)}</td>
            <td className="py-1 pr-4">
              {t(r.approvalRule === "DAILY_CAP" ? "rule.DAILY_CAP" : "rule.ABOVE_THRESHOLD")}
            </td>
            <td className="py-1 text-right">
              <Link className="underline" to={`/approvals/${r.id}`}>
                {t("review")}
              </Link>
            </td>
          </tr>
        ))}
      </ListTable>
      <KeepRequestsPanel rows={keeps} me={me} error={actionData?.error} />
    </div>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { loadSwitchBoard } from "~/killswitch/board.server";
import { needsStepUpRedirect, replyOptionsFor, runBoardAction } from "~/killswitch/board-actions.server";
import { MAX_AUTO_RELEASE_DELAY_MS, MIN_AUTO_RELEASE_DELAY_MS } from "~/killswitch/engage.server";
import { BoardActionSchema } from "~/killswitch/schemas";
import { AdmissionPanel } from "~/killswitch/ui/admission-panel";
import { UnplacedRefusal, type BoardActionData } from "~/killswitch/ui/board-form";
import { ChangeHistory, RecentDecisions } from "~/killswitch/ui/history";
import { SwitchCard } from "~/killswitch/ui/switch-card";
import { useSwitchNames } from "~/killswitch/ui/switch-names";
import { now } from "~/lib/clock.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { redirectWithToast } from "~/lib/toast.server";
import { probeAllChannels } from "~/wallet/probe.server";
import { parseFormData, readForm } from "~/lib/form.server";
import { toJstDateTimeLocal } from "~/lib/jst-date-time";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

// Everyone who may see the board (agents and compliance too); changing a switch needs killswitch:change or
// killswitch:approve, which the domain checks and audits on every attempt.
export const permission: Permission = "killswitch:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "killswitch:pageTitle") }];

const ONE_MINUTE = 60 * 1000;

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  // One after the other: on the embedded database a transaction (the probe) must not interleave with other reads.
  const board = await loadSwitchBoard();
  const admissions = await probeAllChannels();
  const at = now();
  return {
    board,
    admissions,
    checkedAt: at,
    viewer: {
      id: ctx.staff.id,
      canChange: roleHasPermission(ctx.staff.role, "killswitch:change"),
      canApprove: roleHasPermission(ctx.staff.role, "killswitch:approve"),
      steppedUp: hasRecentStepUp(ctx),
    },
    releaseWindow: {
      min: toJstDateTimeLocal(new Date(at.getTime() + MIN_AUTO_RELEASE_DELAY_MS + ONE_MINUTE)),
      max: toJstDateTimeLocal(new Date(at.getTime() + MAX_AUTO_RELEASE_DELAY_MS)),
    },
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const formData = await readForm(request, ctx.staff.language);
  const formId = String(formData.get("formId") ?? "").slice(0, 120);
  const submission = parseFormData(formData, BoardActionSchema, ctx.staff.language);
  if (submission.status !== "success") {
    return data({ formId, result: submission.reply() }, { status: 400 });
  }
  if (needsStepUpRedirect(ctx, submission.value.intent)) await requireStepUp(request, ctx);
  try {
    const message = await runBoardAction(ctx, submission.value);
    return redirectWithToast("/kill-switches", { kind: "success", message });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data(
      { formId, result: submission.reply(replyOptionsFor(error, ctx.staff.language)) },
      { status: error.status },
    );
  }
}

export default function KillSwitchBoard() {
  const { board, admissions, checkedAt, viewer, releaseWindow } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as BoardActionData;
  const { t, i18n } = useTranslation(["killswitch", "common"]);
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const pending = board.switches.filter((s) => s.pendingRequest);
  const names = useSwitchNames();
  const engaged = board.switches.filter((s) => s.engaged);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
        <p className="mt-1 text-sm text-slate-600" data-testid="board-summary">
          {engaged.length === 0
            ? t("noneEngaged")
            : t("engagedSummary", {
                count: engaged.length,
                labels: engaged.map((s) => names(s.key, s).label).join(t("common:listSeparator")),
              })}{" "}
          {viewer.canChange && !viewer.steppedUp ? t("stepUpHint") : ""}
        </p>
      </div>

      {pending.length > 0 ? (
        <section className="card space-y-2 ring-amber-300" data-testid="pending-approvals">
          <h2 className="font-semibold">{t("pending.title", { count: pending.length })}</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm">
            {pending.map((s) => (
              <li key={s.key}>
                <a className="underline" href={`#${s.key}`}>
                  {t("pending.releaseOf", { label: names(s.key, s).label })}
                </a>{" "}
                {t("pending.requestedBy", {
                  name: s.pendingRequest!.requestedBy.name,
                  at: formatJst(s.pendingRequest!.requestedAt, language),
                })}
                {s.pendingRequest!.requestedBy.id === viewer.id ? t("pending.yours") : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <UnplacedRefusal actionData={actionData} board={board} />

      <AdmissionPanel admissions={admissions} checkedAt={checkedAt} />

      <div className="grid gap-4 lg:grid-cols-2">
        {board.switches.map((item) => (
          <SwitchCard
            key={item.key}
            item={item}
            viewer={viewer}
            actionData={actionData}
            releaseWindow={releaseWindow}
          />
        ))}
      </div>

      <ChangeHistory history={board.history} />
      <RecentDecisions decisions={board.decisions} />
    </div>
  );
}

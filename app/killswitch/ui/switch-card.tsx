// One switch on the board: its state with who, when and why; the form that fits its state (engage, request a
// release, approve / reject / withdraw the pending request, cancel the automatic release); which services have
// picked up its current version.
import { Trans, useTranslation } from "react-i18next";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { isLanguage } from "~/i18n/config";
import { formatJst } from "~/lib/format";
import { ReasonForm, ReleaseAtField, type BoardActionData } from "~/killswitch/ui/board-form";
import { ServicePickup } from "~/killswitch/ui/service-pickup";
import type { BoardSwitch, Viewer } from "~/killswitch/ui/types";
import { useSwitchNames } from "~/killswitch/ui/switch-names";

export function StateBadge({ engaged, testId }: { engaged: boolean; testId?: string }) {
  const { t } = useTranslation("killswitch");
  // The words carry the state; the colour only repeats it.
  return engaged ? (
    <span data-testid={testId} className="rounded bg-red-700 px-2 py-0.5 text-xs font-bold uppercase text-white">
      {t("state.engaged")}
    </span>
  ) : (
    <span
      data-testid={testId}
      className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-bold uppercase text-emerald-800"
    >
      {t("state.released")}
    </span>
  );
}

/** What a card, and the change forms in it, are drawn from. */
interface CardProps {
  item: BoardSwitch;
  viewer: Viewer;
  actionData: BoardActionData;
  releaseWindow: { min: string; max: string };
}

export function SwitchCard({ item, viewer, actionData, releaseWindow }: CardProps) {
  const { t, i18n } = useTranslation("killswitch");
  const names = useSwitchNames();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const at = (value: Date | string | null | undefined) => formatJst(value, language);
  const request = item.pendingRequest;
  const mine = request?.requestedBy.id === viewer.id;
  return (
    <section
      id={item.key}
      data-testid={`switch-${item.key}`}
      className={`card space-y-4 ${item.engaged ? "ring-2 ring-red-600" : ""}`}
    >
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-lg font-semibold">{names(item.key, item).label}</h2>
          <p className="text-sm text-slate-600">{names(item.key, item).description}</p>
          <p className="mt-1 text-xs text-slate-500">
            <code>{item.key}</code> · {t("card.version", { version: item.version })}
          </p>
        </div>
        <StateBadge engaged={item.engaged} testId={`state-${item.key}`} />
      </header>

      {item.engaged ? (
        <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          <p>
            <Trans
              t={t}
              i18nKey="card.engagedBy"
              values={{ name: item.engagedBy?.name ?? item.changedBy?.name ?? "—", at: at(item.changedAt) }}
              components={{ strong: <strong /> }}
            />
          </p>
          <p className="mt-1">
            {t("card.why")} <span data-testid={`reason-${item.key}`}>{item.reason}</span>
          </p>
          {item.releaseAt ? (
            <p className="mt-1" data-testid={`release-at-${item.key}`}>
              <Trans
                t={t}
                i18nKey="card.releasesAt"
                values={{ at: at(item.releaseAt) }}
                components={{ strong: <strong /> }}
              />
            </p>
          ) : (
            <p className="mt-1 text-red-800">{t("card.staysEngaged")}</p>
          )}
        </div>
      ) : item.lastChange?.kind === "RELEASE" ? (
        <p className="text-sm text-slate-600" data-testid={`last-change-${item.key}`}>
          {t("card.releasedAt", {
            at: at(item.lastChange.occurredAt),
            requester: item.lastChange.actor?.name ?? "—",
            approver: item.lastChange.approvedBy?.name ?? "—",
            reason: item.lastChange.reason ?? "—",
          })}
        </p>
      ) : item.lastChange?.kind === "AUTO_RELEASE" ? (
        <p className="text-sm text-slate-600" data-testid={`last-change-${item.key}`}>
          {t("card.autoReleasedAt", { at: at(item.lastChange.occurredAt) })}
        </p>
      ) : item.changedAt ? (
        <p className="text-sm text-slate-600">{t("card.lastChanged", { at: at(item.changedAt) })}</p>
      ) : (
        <p className="text-sm text-slate-600">{t("card.neverEngaged")}</p>
      )}

      {request ? (
        <div className="space-y-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid={`pending-${item.key}`}>
          <p className="text-sm text-amber-900">
            <Trans
              t={t}
              i18nKey="card.releaseRequested"
              values={{
                name: request.requestedBy.name,
                at: at(request.requestedAt),
                version: request.switchVersion,
                reason: request.reason,
              }}
              components={{ strong: <strong /> }}
            />
          </p>
          {mine ? (
            <>
              <p className="text-sm text-amber-900">{t("card.waitingForOther")}</p>
              {viewer.canChange ? (
                <ReasonForm
                  intent="withdraw"
                  hidden={{ requestId: request.id }}
                  actionData={actionData}
                  label={t("form.whyWithdraw")}
                  button={t("form.withdraw")}
                />
              ) : null}
            </>
          ) : viewer.canApprove ? (
            <div className="grid gap-4 md:grid-cols-2">
              {viewer.steppedUp ? (
                <ReasonForm
                  intent="approve"
                  hidden={{ requestId: request.id }}
                  actionData={actionData}
                  label={t("form.approvalNote")}
                  button={t("form.approve")}
                  tone="primary"
                  note
                />
              ) : (
                <StepUpNotice returnTo={`/kill-switches#${item.key}`} what={t("form.approving")} />
              )}
              <ReasonForm
                intent="reject"
                hidden={{ requestId: request.id }}
                actionData={actionData}
                label={t("form.whyReject")}
                button={t("form.reject")}
              />
            </div>
          ) : null}
        </div>
      ) : null}

      {viewer.canChange ? (
        <ChangeForms item={item} viewer={viewer} actionData={actionData} releaseWindow={releaseWindow} />
      ) : null}

      <ServicePickup item={item} />
    </section>
  );
}

function ChangeForms({ item, viewer, actionData, releaseWindow }: CardProps) {
  const { t } = useTranslation("killswitch");
  const names = useSwitchNames();
  if (!item.engaged) {
    if (!viewer.steppedUp) return <StepUpNotice returnTo={`/kill-switches#${item.key}`} what={t("form.engaging")} />;
    return (
      <ReasonForm
        intent="engage"
        hidden={{ key: item.key }}
        actionData={actionData}
        label={t("form.reasonEngage")}
        placeholder={t("form.reasonEngagePlaceholder")}
        button={t("form.engage", { label: names(item.key, item).label.toLowerCase() })}
        tone="danger"
        extra={(fields) => <ReleaseAtField field={fields.releaseAt} min={releaseWindow.min} max={releaseWindow.max} />}
      />
    );
  }
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {!item.pendingRequest ? (
        <ReasonForm
          intent="request-release"
          hidden={{ key: item.key }}
          actionData={actionData}
          label={t("form.reasonRelease")}
          placeholder={t("form.reasonReleasePlaceholder")}
          button={t("form.requestRelease")}
        />
      ) : null}
      {item.releaseAt ? (
        viewer.steppedUp ? (
          <ReasonForm
            intent="cancel-auto-release"
            hidden={{ key: item.key }}
            actionData={actionData}
            label={t("form.reasonKeep")}
            button={t("form.cancelAuto")}
          />
        ) : (
          <StepUpNotice returnTo={`/kill-switches#${item.key}`} what={t("form.cancellingAuto")} />
        )
      ) : null}
    </div>
  );
}

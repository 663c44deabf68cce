// One switch on the board: its state with who, when and why; the form that fits its state (engage, request a
// release, approve / reject / withdraw the pending request, cancel the automatic release); which services have
// picked up its current version.
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { formatJst } from "~/lib/format";
import { boardFormId } from "~/killswitch/schemas";
import { BoardForm, ReasonField, ReleaseAtField, type BoardActionData } from "~/killswitch/ui/board-form";
import { ServicePickup } from "~/killswitch/ui/service-pickup";
import type { BoardSwitch, Viewer } from "~/killswitch/ui/types";

export function StateBadge({ engaged, testId }: { engaged: boolean; testId?: string }) {
  return engaged ? (
    <span data-testid={testId} className="rounded bg-red-700 px-2 py-0.5 text-xs font-bold uppercase text-white">
      Engaged · flow stopped
    </span>
  ) : (
    <span
      data-testid={testId}
      className="rounded bg-emerald-100 px-2 py-0.5 text-xs font-bold uppercase text-emerald-800"
    >
      Released · flow running
    </span>
  );
}

export function SwitchCard({
  item,
  viewer,
  actionData,
  releaseWindow,
}: {
  item: BoardSwitch;
  viewer: Viewer;
  actionData: BoardActionData;
  releaseWindow: { min: string; max: string };
}) {
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
          <h2 className="text-lg font-semibold">{item.label}</h2>
          <p className="text-sm text-slate-600">{item.description}</p>
          <p className="mt-1 text-xs text-slate-500">
            <code>{item.key}</code> · version {item.version}
          </p>
        </div>
        <StateBadge engaged={item.engaged} testId={`state-${item.key}`} />
      </header>

      {item.engaged ? (
        <div className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900">
          <p>
            Engaged by <strong>{item.engagedBy?.name ?? item.changedBy?.name ?? "—"}</strong> at{" "}
            {formatJst(item.changedAt)}
          </p>
          <p className="mt-1">
            Why: <span data-testid={`reason-${item.key}`}>{item.reason}</span>
          </p>
          {item.releaseAt ? (
            <p className="mt-1" data-testid={`release-at-${item.key}`}>
              Releases automatically at <strong>{formatJst(item.releaseAt)}</strong> (as decided when engaged).
            </p>
          ) : (
            <p className="mt-1 text-red-800">Stays engaged until two security leads release it.</p>
          )}
        </div>
      ) : item.lastChange?.kind === "RELEASE" ? (
        <p className="text-sm text-slate-600" data-testid={`last-change-${item.key}`}>
          Released at {formatJst(item.lastChange.occurredAt)}: requested by {item.lastChange.actor?.name}, approved by{" "}
          {item.lastChange.approvedBy?.name}. Why: {item.lastChange.reason}
        </p>
      ) : item.lastChange?.kind === "AUTO_RELEASE" ? (
        <p className="text-sm text-slate-600" data-testid={`last-change-${item.key}`}>
          Released automatically at {formatJst(item.lastChange.occurredAt)}, at the time set when it was engaged.
        </p>
      ) : item.changedAt ? (
        <p className="text-sm text-slate-600">Last changed at {formatJst(item.changedAt)}.</p>
      ) : (
        <p className="text-sm text-slate-600">Never engaged.</p>
      )}

      {request ? (
        <div className="space-y-3 rounded-md bg-amber-50 p-3 ring-1 ring-amber-200" data-testid={`pending-${item.key}`}>
          <p className="text-sm text-amber-900">
            <strong>Release requested</strong> by {request.requestedBy.name} at {formatJst(request.requestedAt)}{" "}
            (against version {request.switchVersion}): {request.reason}
          </p>
          {mine ? (
            <>
              <p className="text-sm text-amber-900">Waiting for another security lead to approve it.</p>
              {viewer.canChange ? (
                <BoardForm
                  id={boardFormId("withdraw", request.id)}
                  intent="withdraw"
                  hidden={{ requestId: request.id }}
                  actionData={actionData}
                >
                  {(fields, busy) => (
                    <>
                      <ReasonField field={fields.reason} label="Why withdraw it" />
                      <button type="submit" className="btn-secondary" disabled={busy}>
                        Withdraw my request
                      </button>
                    </>
                  )}
                </BoardForm>
              ) : null}
            </>
          ) : viewer.canApprove ? (
            <div className="grid gap-4 md:grid-cols-2">
              {viewer.steppedUp ? (
                <BoardForm
                  id={boardFormId("approve", request.id)}
                  intent="approve"
                  hidden={{ requestId: request.id }}
                  actionData={actionData}
                >
                  {(fields, busy) => (
                    <>
                      <ReasonField field={fields.comment} label="Approval note" optional />
                      <button type="submit" className="btn-primary" disabled={busy}>
                        Approve and release
                      </button>
                    </>
                  )}
                </BoardForm>
              ) : (
                <StepUpNotice returnTo={`/kill-switches#${item.key}`} what="Approving a release" />
              )}
              <BoardForm
                id={boardFormId("reject", request.id)}
                intent="reject"
                hidden={{ requestId: request.id }}
                actionData={actionData}
              >
                {(fields, busy) => (
                  <>
                    <ReasonField field={fields.reason} label="Why reject it" />
                    <button type="submit" className="btn-secondary" disabled={busy}>
                      Reject
                    </button>
                  </>
                )}
              </BoardForm>
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

function ChangeForms({
  item,
  viewer,
  actionData,
  releaseWindow,
}: {
  item: BoardSwitch;
  viewer: Viewer;
  actionData: BoardActionData;
  releaseWindow: { min: string; max: string };
}) {
  if (!item.engaged) {
    if (!viewer.steppedUp) return <StepUpNotice returnTo={`/kill-switches#${item.key}`} what="Engaging a switch" />;
    return (
      <BoardForm
        id={boardFormId("engage", item.key)}
        intent="engage"
        hidden={{ key: item.key }}
        actionData={actionData}
      >
        {(fields, busy) => (
          <>
            <ReasonField
              field={fields.reason}
              label="Reason for engaging"
              placeholder="What you are seeing, e.g. card top-ups from new devices on hijacked accounts"
            />
            <ReleaseAtField field={fields.releaseAt} min={releaseWindow.min} max={releaseWindow.max} />
            <button type="submit" className="btn-danger" disabled={busy}>
              Engage: stop {item.label.toLowerCase()} now
            </button>
          </>
        )}
      </BoardForm>
    );
  }
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {!item.pendingRequest ? (
        <BoardForm
          id={boardFormId("request-release", item.key)}
          intent="request-release"
          hidden={{ key: item.key }}
          actionData={actionData}
        >
          {(fields, busy) => (
            <>
              <ReasonField
                field={fields.reason}
                label="Reason for releasing"
                placeholder="Why the flow is safe again"
              />
              <button type="submit" className="btn-secondary" disabled={busy}>
                Request release (needs a second lead)
              </button>
            </>
          )}
        </BoardForm>
      ) : null}
      {item.releaseAt ? (
        viewer.steppedUp ? (
          <BoardForm
            id={boardFormId("cancel-auto-release", item.key)}
            intent="cancel-auto-release"
            hidden={{ key: item.key }}
            actionData={actionData}
          >
            {(fields, busy) => (
              <>
                <ReasonField field={fields.reason} label="Reason for keeping it engaged" />
                <button type="submit" className="btn-secondary" disabled={busy}>
                  Cancel the automatic release
                </button>
              </>
            )}
          </BoardForm>
        ) : (
          <StepUpNotice returnTo={`/kill-switches#${item.key}`} what="Cancelling the automatic release" />
        )
      ) : null}
    </div>
  );
}

// Releasing a switch lets the flow run again, so it takes two security leads (four-eyes): one requests the release
// with a reason, another approves it, and the approval itself releases the switch. A request is made against the
// switch's version; if the switch changes meanwhile the request goes STALE and cannot be approved. Requests can be
// withdrawn (by the requester) or rejected (by another lead), each with a reason. Every attempt goes through the
// spine; refusals are audited as DENIED (errors.ts).
import { assertRequesterStillEntitled } from "~/audit/actor-authority.server";
import { performAction, type ChangeOutcome } from "~/audit/perform-action.server";
import type { DbTx } from "~/db.server";
import type { KillSwitchReleaseRequest } from "~/generated/prisma/client";
import { requireStaffActor, type KillSwitchContext } from "~/killswitch/context.server";
import type { SwitchChangeResult } from "~/killswitch/engage.server";
import { KillSwitchRefusal } from "~/killswitch/errors";
import { clipIdentifier, reasonForAudit, requireReason } from "~/killswitch/input.server";
import { isUuid } from "~/lib/uuid";
import { lockSwitch, switchSnapshot } from "~/killswitch/switch-rows.server";
import { now } from "~/lib/clock.server";

const REQUEST_TARGET = "kill_switch_release_request";

const STATUS_WORDS: Record<KillSwitchReleaseRequest["status"], string> = {
  PENDING: "pending",
  APPROVED: "already approved",
  REJECTED: "already rejected",
  WITHDRAWN: "withdrawn",
  STALE: "stale",
};

export interface ReleaseRequestResult {
  id: string;
  key: string;
  status: KillSwitchReleaseRequest["status"];
  switchVersion: number;
}

function requestSnapshot(request: KillSwitchReleaseRequest) {
  return {
    key: request.switchKey,
    status: request.status,
    switchVersion: request.switchVersion,
    requestedById: request.requestedById,
  };
}

/**
 * Finds a request and locks its switch, then the request itself (always in that order: see switch-rows.server.ts),
 * and refuses anything but a pending request.
 */
async function lockPendingRequest(tx: DbTx, requestId: string, verb: string) {
  const notFound = new KillSwitchRefusal("RELEASE_REQUEST_NOT_FOUND", "There is no such release request.", 404);
  if (!isUuid(requestId)) throw notFound;
  const found = await tx.killSwitchReleaseRequest.findUnique({ where: { id: requestId }, select: { switchKey: true } });
  if (!found) throw notFound;
  const killSwitch = await lockSwitch(tx, found.switchKey, "change");
  await tx.$queryRaw`SELECT id FROM kill_switch_release_request WHERE id = ${requestId}::uuid FOR UPDATE`;
  const request = await tx.killSwitchReleaseRequest.findUniqueOrThrow({ where: { id: requestId } });
  if (request.status === "STALE") {
    throw new KillSwitchRefusal(
      "RELEASE_REQUEST_STALE",
      `This request was made against version ${request.switchVersion} of "${killSwitch.label}", which has changed since ` +
        `(now version ${killSwitch.version}). It can no longer be ${verb}; make a new request if a release is still right.`,
      409,
    );
  }
  if (request.status !== "PENDING") {
    throw new KillSwitchRefusal(
      "RELEASE_REQUEST_NOT_PENDING",
      `This release request is ${STATUS_WORDS[request.status]}: it can no longer be ${verb}.`,
      409,
    );
  }
  return { request, killSwitch };
}

export async function requestRelease(
  ctx: KillSwitchContext,
  input: { key: string; reason: string },
): Promise<ReleaseRequestResult> {
  const key = clipIdentifier(input.key);
  return performAction(
    ctx,
    {
      action: "killswitch.release.request",
      permission: "killswitch:change",
      targetType: "kill_switch",
      targetId: key,
      reason: reasonForAudit(input.reason),
    },
    async (tx) => {
      const actor = requireStaffActor(ctx, "request a release");
      const reason = requireReason(input.reason, "a reason for releasing the switch");
      // FOR SHARE: the version read here cannot change until this request is committed, so a concurrent change
      // either happens first (and we see its version) or after (and marks this request stale).
      const killSwitch = await lockSwitch(tx, key, "share");
      if (!killSwitch.engaged) {
        throw new KillSwitchRefusal(
          "KILL_SWITCH_NOT_ENGAGED",
          `"${killSwitch.label}" is not engaged: there is nothing to release.`,
          409,
        );
      }
      const pending = await tx.killSwitchReleaseRequest.findUnique({ where: { pendingSwitchKey: key } });
      if (pending) {
        throw new KillSwitchRefusal(
          "RELEASE_ALREADY_REQUESTED",
          `A release of "${killSwitch.label}" is already waiting for approval. Approve, reject or withdraw it first.`,
          409,
        );
      }
      const request = await tx.killSwitchReleaseRequest.create({
        data: {
          switchKey: key,
          switchVersion: killSwitch.version,
          status: "PENDING",
          pendingSwitchKey: key,
          requestedById: actor.id,
          reason,
          requestedAt: now(),
        },
      });
      return {
        result: { id: request.id, key, status: request.status, switchVersion: request.switchVersion },
        targetId: key,
        after: { requestId: request.id, ...requestSnapshot(request) },
      };
    },
  );
}

export async function approveRelease(
  ctx: KillSwitchContext,
  input: { requestId: string; comment?: string | null },
): Promise<SwitchChangeResult> {
  const requestId = clipIdentifier(input.requestId);
  return performAction(
    ctx,
    {
      action: "killswitch.release.approve",
      permission: "killswitch:approve",
      stepUp: true,
      targetType: REQUEST_TARGET,
      targetId: requestId,
      reason: reasonForAudit(input.comment),
    },
    async (tx) => {
      const approver = requireStaffActor(ctx, "approve a release");
      const { request, killSwitch } = await lockPendingRequest(tx, requestId, "approved");
      if (request.requestedById === approver.id) {
        throw new KillSwitchRefusal(
          "SELF_APPROVAL",
          "You made this release request, so another security lead must approve it (four-eyes).",
          403,
        );
      }
      // A release asked from a lead account disabled or demoted since (perhaps because it was taken over) would
      // reopen the flow the attacker is using: not on that account's word.
      await assertRequesterStillEntitled(tx, request.requestedById, "killswitch:change");
      if (!killSwitch.engaged || killSwitch.version !== request.switchVersion) {
        // Every change marks pending requests stale in its own transaction, so this is a defence in depth.
        throw new KillSwitchRefusal(
          "RELEASE_REQUEST_STALE",
          `"${killSwitch.label}" changed after this request was made (version ${request.switchVersion}, now ` +
            `${killSwitch.version}). Make a new request if a release is still right.`,
          409,
        );
      }
      const at = now();
      const version = killSwitch.version + 1;
      const comment = (input.comment ?? "").trim().slice(0, 1000) || null;
      const decided = await tx.killSwitchReleaseRequest.updateMany({
        where: { id: request.id, status: "PENDING", switchVersion: killSwitch.version },
        data: {
          status: "APPROVED",
          pendingSwitchKey: null,
          decidedById: approver.id,
          decidedAt: at,
          decisionReason: comment,
        },
      });
      if (decided.count !== 1) throw new Error("release request changed under its row lock");
      const updated = await tx.killSwitch.update({
        where: { key: killSwitch.key },
        data: {
          engaged: false,
          version,
          changedById: approver.id,
          changedAt: at,
          reason: request.reason,
          releaseAt: null,
        },
      });
      await tx.killSwitchChange.create({
        data: {
          switchKey: killSwitch.key,
          kind: "RELEASE",
          engaged: false,
          version,
          actorId: request.requestedById,
          actorKind: "STAFF",
          approvedById: approver.id,
          releaseRequestId: request.id,
          reason: request.reason,
          occurredAt: at,
        },
      });
      return {
        result: { key: killSwitch.key, label: killSwitch.label, engaged: false, version, releaseAt: null },
        before: { ...switchSnapshot(killSwitch), request: requestSnapshot(request) },
        after: { ...switchSnapshot(updated), request: { ...requestSnapshot(request), status: "APPROVED" } },
        extraEvents: [
          {
            action: "killswitch.release",
            outcome: "SUCCESS",
            targetType: "kill_switch",
            targetId: killSwitch.key,
            reason: request.reason,
            before: switchSnapshot(killSwitch),
            after: { ...switchSnapshot(updated), requestedById: request.requestedById, approvedById: approver.id },
          },
        ],
      };
    },
  );
}

/** How a pending request is closed without releasing it: who may, and the words of its refusals. */
interface Closing {
  status: "REJECTED" | "WITHDRAWN";
  /** Words of the refusals: "Only a security lead can <what>", "Give <reasonFor>", "can no longer be <verb>". */
  what: string;
  reasonFor: string;
  verb: string;
  /** Throws when this staff member may not close this request. */
  mayClose(request: KillSwitchReleaseRequest, staffId: string): void;
}

const REJECTING: Closing = {
  status: "REJECTED",
  what: "reject a release request",
  reasonFor: "a reason for rejecting the request",
  verb: "rejected",
  mayClose(request, staffId) {
    if (request.requestedById === staffId) {
      throw new KillSwitchRefusal(
        "REQUESTER_CANNOT_REJECT",
        "You made this request: withdraw it instead of rejecting it.",
        403,
      );
    }
  },
};

const WITHDRAWING: Closing = {
  status: "WITHDRAWN",
  what: "withdraw a release request",
  reasonFor: "a reason for withdrawing the request",
  verb: "withdrawn",
  mayClose(request, staffId) {
    if (request.requestedById !== staffId) {
      throw new KillSwitchRefusal(
        "NOT_REQUESTER",
        "Only the security lead who made this request can withdraw it; reject it instead if it should not go ahead.",
        403,
      );
    }
  },
};

/** Inside the spine's transaction: closes the pending request, with the reason and who decided. */
async function closeRequest(
  tx: DbTx,
  ctx: KillSwitchContext,
  input: { requestId: string; reason: string },
  closing: Closing,
): Promise<ChangeOutcome<ReleaseRequestResult>> {
  const actor = requireStaffActor(ctx, closing.what);
  const reason = requireReason(input.reason, closing.reasonFor);
  const { request } = await lockPendingRequest(tx, clipIdentifier(input.requestId), closing.verb);
  closing.mayClose(request, actor.id);
  await tx.killSwitchReleaseRequest.updateMany({
    where: { id: request.id, status: "PENDING" },
    data: {
      status: closing.status,
      pendingSwitchKey: null,
      decidedById: actor.id,
      decidedAt: now(),
      decisionReason: reason,
    },
  });
  return {
    result: { id: request.id, key: request.switchKey, status: closing.status, switchVersion: request.switchVersion },
    before: requestSnapshot(request),
    after: { ...requestSnapshot(request), status: closing.status },
  };
}

/** Another lead turns a pending request down, with a reason. */
export async function rejectRelease(
  ctx: KillSwitchContext,
  input: { requestId: string; reason: string },
): Promise<ReleaseRequestResult> {
  return performAction(
    ctx,
    {
      action: "killswitch.release.reject",
      permission: "killswitch:approve",
      targetType: REQUEST_TARGET,
      targetId: clipIdentifier(input.requestId),
      reason: reasonForAudit(input.reason),
    },
    (tx) => closeRequest(tx, ctx, input, REJECTING),
  );
}

/** The requester takes their pending request back, with a reason. */
export async function withdrawRelease(
  ctx: KillSwitchContext,
  input: { requestId: string; reason: string },
): Promise<ReleaseRequestResult> {
  return performAction(
    ctx,
    {
      action: "killswitch.release.withdraw",
      permission: "killswitch:change",
      targetType: REQUEST_TARGET,
      targetId: clipIdentifier(input.requestId),
      reason: reasonForAudit(input.reason),
    },
    (tx) => closeRequest(tx, ctx, input, WITHDRAWING),
  );
}

/**
 * A direct release, without a second lead's approval, is never allowed. This exists so that such an attempt (a crafted
 * form, a script) gets a clear answer and a DENIED audit row instead of silently doing nothing.
 */
export async function releaseWithoutApproval(
  ctx: KillSwitchContext,
  input: { key: string; reason?: string | null },
): Promise<never> {
  const key = clipIdentifier(input.key);
  return performAction(
    ctx,
    {
      action: "killswitch.release",
      permission: "killswitch:change",
      targetType: "kill_switch",
      targetId: key,
      reason: reasonForAudit(input.reason),
    },
    async () => {
      throw new KillSwitchRefusal(
        "RELEASE_NEEDS_APPROVAL",
        "A kill switch is released only when a second security lead approves a release request (four-eyes). " +
          "Request the release; another lead approves it.",
        403,
      );
    },
  );
}

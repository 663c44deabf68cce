// The switch board's action, minus HTTP: runs one parsed form through the domain and says what to tell the user.
// Refusals come back as the domain's DomainError; field-level ones are pointed at their field.
import type { SubmissionResult } from "@conform-to/react";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import type { StaffContext } from "~/auth/guard.server";
import { killSwitchContextOf } from "~/killswitch/context.server";
import { cancelAutomaticRelease, engageSwitch } from "~/killswitch/engage.server";
import { parseJstDateTimeLocal } from "~/killswitch/release-time";
import {
  approveRelease,
  rejectRelease,
  releaseWithoutApproval,
  requestRelease,
  withdrawRelease,
} from "~/killswitch/release.server";
import type { BoardAction } from "~/killswitch/schemas";
import { formatJst } from "~/lib/format";
import type { DomainError } from "~/lib/domain-error";

/** Intents that change what flows and so need a fresh TOTP code, with the permission they need. */
const STEP_UP_INTENTS: Partial<Record<BoardAction["intent"], Permission>> = {
  engage: "killswitch:change",
  "cancel-auto-release": "killswitch:change",
  approve: "killswitch:approve",
};

/**
 * Whether the route should send this user to step up first. Only for someone who holds the permission: anyone else
 * goes straight to the domain, which refuses and audits the attempt.
 */
export function needsStepUpRedirect(ctx: StaffContext, intent: BoardAction["intent"]): boolean {
  const permission = STEP_UP_INTENTS[intent];
  return permission !== undefined && roleHasPermission(ctx.staff.role, permission);
}

export async function runBoardAction(ctx: StaffContext, input: BoardAction): Promise<string> {
  const kctx = killSwitchContextOf(ctx);
  switch (input.intent) {
    case "engage": {
      const result = await engageSwitch(kctx, {
        key: input.key,
        reason: input.reason ?? "",
        releaseAt: parseJstDateTimeLocal(input.releaseAt) ?? null,
      });
      const until = result.releaseAt ? ` until ${formatJst(result.releaseAt)}` : " until two leads release it";
      return `"${result.label}" engaged${until}. The flow is refused from now on.`;
    }
    case "cancel-auto-release": {
      const result = await cancelAutomaticRelease(kctx, { key: input.key, reason: input.reason ?? "" });
      return `"${result.label}" will stay engaged until two security leads release it.`;
    }
    case "request-release": {
      await requestRelease(kctx, { key: input.key, reason: input.reason ?? "" });
      return "Release requested. Another security lead must approve it before the flow runs again.";
    }
    case "approve": {
      const result = await approveRelease(kctx, { requestId: input.requestId, comment: input.comment });
      return `"${result.label}" released: the flow runs again.`;
    }
    case "reject": {
      await rejectRelease(kctx, { requestId: input.requestId, reason: input.reason ?? "" });
      return "Release request rejected. The switch stays engaged.";
    }
    case "withdraw": {
      await withdrawRelease(kctx, { requestId: input.requestId, reason: input.reason ?? "" });
      return "Release request withdrawn. The switch stays engaged.";
    }
    case "release":
      return releaseWithoutApproval(kctx, { key: input.key, reason: input.reason });
  }
}

const FIELD_OF_CODE: Record<string, "reason" | "releaseAt"> = {
  REASON_REQUIRED: "reason",
  REASON_TOO_LONG: "reason",
  RELEASE_TIME_INVALID: "releaseAt",
  RELEASE_TIME_TOO_SOON: "releaseAt",
  RELEASE_TIME_TOO_LATE: "releaseAt",
};

/** Conform reply options that put a refusal next to the field it is about, or at the top of the form. */
export function replyOptionsFor(error: DomainError): {
  formErrors?: string[];
  fieldErrors?: Record<string, string[]>;
} {
  const field = FIELD_OF_CODE[error.code];
  return field ? { fieldErrors: { [field]: [error.message] } } : { formErrors: [error.message] };
}

export type BoardReply = { formId: string; result: SubmissionResult<string[]> };

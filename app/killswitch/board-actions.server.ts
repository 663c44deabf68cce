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
import { translatorFor } from "~/i18n/i18next.server";
import { formatJst } from "~/lib/format";
import type { Language } from "~/i18n/config";
import { translateDomainError } from "~/i18n/translate.server";
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
  const language = ctx.staff.language;
  const t = translatorFor(language, "killswitch");
  // The database holds a switch's English name (what other payment services read); the toast names it in the
  // member's language, like the board does (ui/switch-names.ts).
  const nameOf = (key: string, stored: string) =>
    String(t(`names.${key.replace(/\./g, "_")}.label` as never, { defaultValue: stored }));
  switch (input.intent) {
    case "engage": {
      const result = await engageSwitch(kctx, {
        key: input.key,
        reason: input.reason ?? "",
        releaseAt: parseJstDateTimeLocal(input.releaseAt) ?? null,
      });
      const label = nameOf(result.key, result.label);
      return result.releaseAt
        ? t("toast.engagedUntil", { label, at: formatJst(result.releaseAt, language) })
        : t("toast.engaged", { label });
    }
    case "cancel-auto-release": {
      const result = await cancelAutomaticRelease(kctx, { key: input.key, reason: input.reason ?? "" });
      return t("toast.staysEngaged", { label: nameOf(result.key, result.label) });
    }
    case "request-release": {
      await requestRelease(kctx, { key: input.key, reason: input.reason ?? "" });
      return t("toast.releaseRequested");
    }
    case "approve": {
      const result = await approveRelease(kctx, { requestId: input.requestId, comment: input.comment });
      return t("toast.released", { label: nameOf(result.key, result.label) });
    }
    case "reject": {
      await rejectRelease(kctx, { requestId: input.requestId, reason: input.reason ?? "" });
      return t("toast.rejected");
    }
    case "withdraw": {
      await withdrawRelease(kctx, { requestId: input.requestId, reason: input.reason ?? "" });
      return t("toast.withdrawn");
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
export function replyOptionsFor(
  error: DomainError,
  language: Language | undefined,
): {
  formErrors?: string[];
  fieldErrors?: Record<string, string[]>;
} {
  const field = FIELD_OF_CODE[error.code];
  // In the lead's language: a refusal is often the news that another lead got there first.
  const message = translateDomainError(language, error);
  return field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] };
}

export type BoardReply = { formId: string; result: SubmissionResult<string[]> };

// Governing the risk rules, every change through the audited spine: a lead drafts a version, backtests it, and a
// second lead publishes it (four eyes: never the version's author); any lead disables a live rule in one step.
// Compliance reads each publication in the audit trail together with the backtest figures it was published on.
import { assertRequesterStillEntitled } from "~/audit/actor-authority.server";
import type { ActionContext } from "~/audit/perform-action.server";
import { performAction } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { randomUUID } from "node:crypto";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import type { BacktestResults } from "~/risk/backtest.server";
import { summariseBacktest } from "~/risk/backtest-job.server";
import { checkCondition, ConditionError } from "~/risk/condition";
import type { EventKind } from "~/risk/features";
import type { DraftRuleInput } from "~/risk/schemas";
import { STARTER_RULES } from "~/risk/starter-rules";
import { isUniqueViolation } from "~/db/unique-violation";

function staffId(ctx: ActionContext): string {
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "Only staff can change risk rules.", 403);
  return ctx.actor.id;
}

/** Runs the condition checker and turns its refusal into a message for the form. */
export function validateCondition(text: string, eventKind?: EventKind): string {
  try {
    return checkCondition(text, eventKind).text;
  } catch (error) {
    if (error instanceof ConditionError) {
      // The problem travels as values so that the page can word it in the lead's language.
      const params: Record<string, string | number> = { ...error.values, problem: error.problem };
      if (error.column !== null) params.column = error.column;
      throw new DomainError("RULE_CONDITION_INVALID", error.message, 400, params);
    }
    throw error;
  }
}

/** Which rendered form a draft came from, claimed in the draft's transaction (ADR 095). */
interface DraftForm {
  key: string | undefined;
  action: string;
  messageKey: string;
  /** Whether a repeat is told the id of the version the first post drafted. */
  showsVersion: boolean;
}

export async function draftRule(ctx: ActionContext, input: DraftRuleInput) {
  return draftVersion(ctx, input, {
    key: input.submissionKey,
    action: "risk.rule.draft",
    messageKey: "risk:draft.alreadyDrafted",
    showsVersion: true,
  });
}

async function draftVersion(ctx: ActionContext, input: DraftRuleInput, form: DraftForm | null) {
  const eventKind = input.eventKind ?? "TOP_UP";
  if (eventKind !== "TOP_UP" && input.channel !== "ALL") {
    throw new DomainError("RULE_CHANNEL_NOT_FOR_EVENT", "Only a top-up rule can be narrowed to a channel.", 400);
  }
  const condition = validateCondition(input.condition, eventKind);
  const createdById = staffId(ctx);
  try {
    return await performAction(
      ctx,
      { action: "risk.rule.draft", permission: "risk:draft", targetType: "risk_rule" },
      async (tx) => {
        // Chosen before it is made, so a repeat of the same form is told which version the first post drafted.
        const id = randomUUID();
        if (form) {
          await claimSubmission(tx, {
            key: form.key,
            action: form.action,
            staffId: createdById,
            messageKey: form.messageKey,
            ...(form.showsVersion ? { outcome: id } : {}),
          });
        }
        const latest = await tx.riskRule.findFirst({
          where: { ruleKey: input.ruleKey },
          orderBy: { version: "desc" },
          select: { version: true },
        });
        const rule = await tx.riskRule.create({
          data: {
            id,
            ruleKey: input.ruleKey,
            version: (latest?.version ?? 0) + 1,
            name: input.name,
            condition,
            outcome: input.outcome,
            channel: input.channel === "ALL" ? null : input.channel,
            eventKind,
            createdById,
            createdAt: now(),
          },
        });
        return {
          result: rule,
          targetId: rule.id,
          after: {
            ruleKey: rule.ruleKey,
            version: rule.version,
            name: rule.name,
            condition,
            outcome: rule.outcome,
            channel: rule.channel,
            eventKind: rule.eventKind,
          },
        };
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(
        "RULE_VERSION_CONFLICT",
        "Another version of this rule was drafted at the same moment. Try again.",
        409,
      );
    }
    throw error;
  }
}

/**
 * Drafts every rule of the recommended starter set (each still needs its backtest and a second lead to go live). The
 * page's key is claimed with the first draft: a second post of the same form stops there, having drafted nothing.
 */
export async function draftStarterRules(ctx: ActionContext, submissionKey?: string) {
  const drafted = [];
  for (const [index, rule] of STARTER_RULES.entries()) {
    const form: DraftForm = {
      key: submissionKey,
      action: "risk.rule.draft-starter",
      messageKey: "risk:draft.starterAlreadyDrafted",
      showsVersion: false,
    };
    drafted.push(await draftVersion(ctx, { ...rule, channel: rule.channel ?? "ALL" }, index === 0 ? form : null));
  }
  return drafted;
}

// The backtest runs as a bulk job: app/risk/backtest-job.server.ts (queued through the spine, saved with the version).
export { backtestRule, summariseBacktest } from "~/risk/backtest-job.server";

export async function publishRule(ctx: ActionContext, ruleId: string) {
  const publisherId = staffId(ctx);
  try {
    return await performAction(
      ctx,
      { action: "risk.rule.publish", permission: "risk:publish", targetType: "risk_rule", targetId: ruleId },
      async (tx) => {
        const rule = await tx.riskRule.findUnique({ where: { id: ruleId } });
        if (!rule) throw new DomainError("RULE_NOT_FOUND", "There is no such rule.", 404);
        if (rule.status !== "DRAFT") {
          throw new DomainError(
            "RULE_NOT_DRAFT",
            `This version is ${rule.status.toLowerCase()}; only a draft can be published.`,
            409,
          );
        }
        if (rule.createdById === publisherId) {
          throw new DomainError(
            "FOUR_EYES_REQUIRED",
            "A second security lead must publish this rule: you drafted it.",
            403,
          );
        }
        // A draft from a lead account disabled or demoted since may be a weakened version written to replace a
        // live rule: it goes live only on the word of someone who still may draft.
        await assertRequesterStillEntitled(tx, rule.createdById, "risk:draft");
        const backtest = await tx.riskBacktest.findFirst({ where: { ruleId }, orderBy: { createdAt: "desc" } });
        if (!backtest) {
          throw new DomainError("BACKTEST_REQUIRED", "Backtest this version before publishing it.", 409);
        }
        const superseded = await tx.riskRule.findMany({
          where: { ruleKey: rule.ruleKey, status: "ACTIVE" },
          select: { id: true, version: true },
        });
        await tx.riskRule.updateMany({
          where: { ruleKey: rule.ruleKey, status: "ACTIVE" },
          data: { status: "SUPERSEDED" },
        });
        const published = await tx.riskRule.updateMany({
          where: { id: ruleId, status: "DRAFT" },
          data: { status: "ACTIVE", publishedById: publisherId, publishedAt: now(), backtestId: backtest.id },
        });
        if (published.count !== 1) throw new DomainError("RULE_NOT_DRAFT", "This version was changed meanwhile.", 409);
        return {
          result: { ruleId, backtestId: backtest.id },
          before: { status: "DRAFT", active: superseded.map((s) => s.version) },
          after: {
            status: "ACTIVE",
            ruleKey: rule.ruleKey,
            version: rule.version,
            condition: rule.condition,
            outcome: rule.outcome,
            channel: rule.channel,
            eventKind: rule.eventKind,
            draftedBy: rule.createdById,
            backtestId: backtest.id,
            backtest: summariseBacktest(backtest.results as unknown as BacktestResults),
          },
        };
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(
        "RULE_PUBLISH_CONFLICT",
        "Another version of this rule was published at the same moment.",
        409,
      );
    }
    throw error;
  }
}

export async function disableRule(ctx: ActionContext, ruleId: string, reason?: string) {
  const disabledById = staffId(ctx);
  return performAction(
    ctx,
    // Turning a live rule off lets through again the top-ups (or changes) it blocks or holds: on a stolen lead session
    // that is the attacker's money flowing. A fresh code, as for a kill switch; disabling stays one lead's decision.
    {
      action: "risk.rule.disable",
      permission: "risk:publish",
      targetType: "risk_rule",
      targetId: ruleId,
      reason,
      stepUp: true,
    },
    async (tx) => {
      const changed = await tx.riskRule.updateMany({
        where: { id: ruleId, status: "ACTIVE" },
        data: { status: "DISABLED", disabledById, disabledAt: now() },
      });
      if (changed.count !== 1) throw new DomainError("RULE_NOT_ACTIVE", "This rule is not live.", 409);
      const rule = await tx.riskRule.findUniqueOrThrow({ where: { id: ruleId } });
      return {
        result: rule,
        before: { status: "ACTIVE" },
        after: { status: "DISABLED", ruleKey: rule.ruleKey, version: rule.version },
      };
    },
  );
}

// Saving a signal search as a cohort, through the spine: the search is re-run inside the same transaction that writes
// the snapshot and its audit row, so the saved members are exactly what the filters matched at that moment (not what
// the lead previewed a minute earlier). The audit row carries a digest of the member list, binding the log to the
// snapshot.
import { createHash, randomUUID } from "node:crypto";
import { z } from "zod";
import { performAction, type ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import type { Prisma } from "~/generated/prisma/client";
import { DomainError } from "~/lib/domain-error";
import { formatCount } from "~/lib/format";
import { hasLineBreak, LINE_BREAK_MESSAGE } from "~/lib/form-text";
import { CohortDefinitionSchema, MAX_WINDOW_DAYS, type CohortDefinition } from "~/incidents/cohorts/definition";
import { findSignalMatches, MAX_COHORT_MEMBERS } from "~/incidents/cohorts/signals.server";

const INSERT_BATCH = 2_000;

// A cohort's name is one line (lists, the audit trail, exports): a line break is refused, not folded into a space;
// other stray control characters and runs of spaces are tidied as before.
export const CohortNameSchema = z
  .string({ required_error: "cohorts:validation.nameRequired" })
  .refine((value) => !hasLineBreak(value.trim()), LINE_BREAK_MESSAGE)
  .transform((value) =>
    value
      .replace(/\p{Cc}/gu, " ")
      .replace(/\s+/g, " ")
      .trim(),
  )
  .pipe(z.string().min(1, "cohorts:validation.nameRequired").max(120, "cohorts:validation.nameTooLong"));

export interface SaveCohortInput {
  name: string;
  incidentId: string | null;
  definition: CohortDefinition;
  /** The builder's one-time key for this rendering of its form (ADR 087): a second post saves nothing. */
  submissionKey?: string;
}

export const COHORT_SAVE = "cohort.save";

/** The definition as stored: plain JSON, dates as ISO strings. */
export function serialiseDefinition(definition: CohortDefinition) {
  return {
    ...definition,
    window: { from: definition.window.from.toISOString(), to: definition.window.to.toISOString() },
  };
}

export function membersDigest(customerIds: string[]): string {
  return createHash("sha256")
    .update([...customerIds].sort().join("\n"))
    .digest("hex");
}

function valid<T>(result: z.SafeParseReturnType<unknown, T>): T {
  if (result.success) return result.data;
  throw new DomainError("INVALID_COHORT", result.error.issues[0]?.message ?? "The cohort is not valid.", 400, {
    days: MAX_WINDOW_DAYS,
  });
}

export async function saveCohort(
  ctx: ActionContext,
  input: SaveCohortInput,
): Promise<{ id: string; memberCount: number }> {
  const name = valid(CohortNameSchema.safeParse(input.name));
  const definition = valid(CohortDefinitionSchema.safeParse(input.definition));
  const stored = serialiseDefinition(definition);
  if (ctx.actor.kind !== "staff") throw new DomainError("STAFF_ONLY", "Only staff can save cohorts.", 403);
  const createdById = ctx.actor.id;

  return performAction(
    ctx,
    {
      action: COHORT_SAVE,
      permission: "cohorts:build",
      targetType: "cohort",
      incidentId: input.incidentId ?? undefined,
      reason: `cohort "${name}"`,
    },
    async (tx) => {
      // Chosen before it is made, so a repeat of this form is told which cohort the first post saved.
      const cohortId = randomUUID();
      await claimSubmission(tx, {
        key: input.submissionKey,
        action: COHORT_SAVE,
        staffId: createdById,
        messageKey: "cohorts:builder.alreadySaved",
        outcome: cohortId,
      });
      if (input.incidentId) {
        const incident = await tx.incident.findUnique({ where: { id: input.incidentId }, select: { id: true } });
        if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
      }
      const found = await findSignalMatches(tx, definition, MAX_COHORT_MEMBERS + 1);
      if (found.total === 0) {
        throw new DomainError("COHORT_EMPTY", "No account matches these filters: there is nothing to save.", 422);
      }
      if (found.total > MAX_COHORT_MEMBERS) {
        throw new DomainError(
          "COHORT_TOO_LARGE",
          `These filters match ${found.total.toLocaleString("en-US")} accounts; a cohort holds at most ` +
            `${MAX_COHORT_MEMBERS.toLocaleString("en-US")}. Narrow the window or raise the minimum score.`,
          422,
          { found: formatCount(found.total, "ja"), max: formatCount(MAX_COHORT_MEMBERS, "ja") },
        );
      }
      const cohort = await tx.cohort.create({
        data: {
          id: cohortId,
          name,
          incidentId: input.incidentId,
          definition: stored,
          memberCount: found.total,
          createdById,
        },
      });
      for (let start = 0; start < found.matches.length; start += INSERT_BATCH) {
        await tx.cohortMember.createMany({
          data: found.matches.slice(start, start + INSERT_BATCH).map((match) => ({
            cohortId: cohort.id,
            customerId: match.customerId,
            riskScore: match.riskScore,
            reasons: match.reasons as unknown as Prisma.InputJsonValue,
          })),
        });
      }
      const ids = found.matches.map((m) => m.customerId);
      return {
        result: { id: cohort.id, memberCount: found.total },
        targetId: cohort.id,
        before: null,
        after: {
          name,
          incidentId: input.incidentId,
          memberCount: found.total,
          definition: stored,
          membersDigest: membersDigest(ids),
        },
      };
    },
  );
}

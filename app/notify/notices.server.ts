// Sending notices to an incident's victims: all of them, or a selection (a cohort, when cohorts exist, will pass its
// customer IDs here). One audited transaction writes every message row and the audit rows; the worker delivers.
//
//   planNotices    what a send would do (queued / already handled / skipped with reasons), without writing
//   previewNotice  one customer's notice rendered from their real data; a missing variable is refused here
//   enqueueNotices the send itself, through performAction
import type { ActionContext } from "~/audit/perform-action.server";
import { performAction } from "~/audit/perform-action.server";
import { actorId } from "~/audit/actor";
import { prisma, type DbTx } from "~/db.server";
import { DomainError } from "~/lib/domain-error";
import { languageOf, type Language } from "~/notify/language";
import type { NoticeStatus } from "~/notify/notice-status";
import {
  MAX_RECIPIENTS_PER_SEND,
  NoticeTargetSchema,
  type LanguageChoice,
  type NoticeTarget,
} from "~/notify/notice-schemas";
import {
  discriminatorFor,
  loadNoticeVariables,
  type NoticeCustomerFacts,
  type NoticeIncident,
} from "~/notify/notice-variables.server";
import {
  draftMessage,
  recipientProblem,
  writeDrafts,
  wakeOutboxWorker,
  type MessageDraft,
  type SkipReason,
} from "~/notify/outbox.server";
import { describeNeeds, renderNotice, TemplateVariablesError, type TemplateKey } from "~/notify/templates";
import { NEEDS_SEPARATOR } from "~/notify/notice-status";
import { dedupeKeyOf } from "~/notify/dedupe";
import { firstUnreviewedChanges } from "~/recovery/contact-review.server";
import type { RenderedNotice } from "~/notify/templates/layout";

function parseTarget(input: NoticeTarget) {
  const parsed = NoticeTargetSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError("INVALID_NOTICE_TARGET", parsed.error.issues[0]!.message, 400, {
      max: MAX_RECIPIENTS_PER_SEND.toLocaleString("en-US"),
    });
  return parsed.data;
}

async function loadIncident(db: DbTx, incidentId: string): Promise<NoticeIncident> {
  const incident = await db.incident.findUnique({
    where: { id: incidentId },
    select: { id: true, code: true, title: true, status: true, openedAt: true },
  });
  if (!incident) throw new DomainError("INCIDENT_NOT_FOUND", "There is no such incident.", 404);
  return incident;
}

type Victim = NoticeCustomerFacts & Parameters<typeof recipientProblem>[0];

interface VictimRow {
  id: string;
  name: string;
  display_id: string;
  email: string;
  email_verified: boolean;
  preferred_language: string;
  case_status: string;
}

/** The incident's victims (all, or those among `customerIds`), ordered by display ID. One statement. */
async function queryVictims(db: DbTx, incidentId: string, customerIds: string[] | undefined): Promise<Victim[]> {
  const rows = customerIds
    ? await db.$queryRaw<VictimRow[]>`
        SELECT c.id, c.name, c.display_id, c.email, c.email_verified, c.preferred_language, ic.status::text AS case_status
        FROM incident_case ic JOIN customer c ON c.id = ic.customer_id
        WHERE ic.incident_id = ${incidentId}::uuid
          AND ic.customer_id IN (SELECT (jsonb_array_elements_text(${JSON.stringify(customerIds)}::text::jsonb))::uuid)
        ORDER BY c.display_id`
    : await db.$queryRaw<VictimRow[]>`
        SELECT c.id, c.name, c.display_id, c.email, c.email_verified, c.preferred_language, ic.status::text AS case_status
        FROM incident_case ic JOIN customer c ON c.id = ic.customer_id
        WHERE ic.incident_id = ${incidentId}::uuid
        ORDER BY c.display_id`;
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    displayId: r.display_id,
    email: r.email,
    emailVerified: r.email_verified,
    preferredLanguage: r.preferred_language,
    caseStatus: r.case_status,
  }));
}

async function loadVictims(db: DbTx, incidentId: string, customerIds: string[] | undefined): Promise<Victim[]> {
  const unique = customerIds ? [...new Set(customerIds)] : undefined;
  const victims = await queryVictims(db, incidentId, unique);
  if (unique && victims.length !== unique.length) {
    const missing = unique.length - victims.length;
    throw new DomainError(
      "NOT_INCIDENT_VICTIMS",
      `${missing} of the selected customers ${missing === 1 ? "is not a victim" : "are not victims"} of this incident (no case): nothing was sent.`,
      422,
      { missing },
    );
  }
  if (victims.length === 0) throw new DomainError("NO_VICTIMS", "This incident has no victims to notify.", 422);
  return victims;
}

function resolveLanguage(choice: LanguageChoice, preferred: string): Language {
  return choice === "auto" ? languageOf(preferred) : choice;
}

function renderOrMissing(
  template: TemplateKey,
  language: Language,
  variables: Record<string, unknown>,
): RenderedNotice | { missing: string } {
  try {
    return renderNotice(template, language, variables);
  } catch (error) {
    // Kept as the keys of what is needed (skipReasonText shows them in the reader's language).
    if (error instanceof TemplateVariablesError) return { missing: error.missing.join(NEEDS_SEPARATOR) };
    throw error;
  }
}

async function buildDrafts(
  db: DbTx,
  target: ReturnType<typeof parseTarget>,
  requestedBy: string | null,
  preloaded?: { incident: NoticeIncident; victims: Victim[] },
): Promise<{ incident: NoticeIncident; drafts: MessageDraft[] }> {
  const incident = preloaded?.incident ?? (await loadIncident(db, target.incidentId));
  const victims = preloaded?.victims ?? (await loadVictims(db, incident.id, target.customerIds));
  const variables = await loadNoticeVariables(db, target.template, incident, victims);
  const suspect = await firstUnreviewedChanges(
    db,
    victims.map((victim) => victim.id),
    "EMAIL",
  );
  const discriminator = discriminatorFor(target.template, incident);
  const drafts = victims.map((victim) => {
    const language = resolveLanguage(target.language, victim.preferredLanguage);
    return draftMessage({
      template: target.template,
      customer: victim,
      incidentId: incident.id,
      discriminator,
      language,
      requestedBy,
      suspectEmailSince: suspect.get(victim.id) ?? null,
      content: renderOrMissing(target.template, language, variables.get(victim.id)!),
    });
  });
  return { incident, drafts };
}

export interface NoticePlan {
  incident: { id: string; code: string; title: string; status: string };
  recipients: number;
  willQueue: number;
  /** Already queued, sent, failed or under review for this key: the send leaves them alone. */
  alreadyHandled: Partial<Record<NoticeStatus, number>>;
  skipped: Partial<Record<SkipReason, number>>;
}

/** What a send would do, without writing anything. */
export async function planNotices(input: NoticeTarget): Promise<NoticePlan> {
  const target = parseTarget(input);
  const { incident, drafts } = await buildDrafts(prisma, target, null);
  const existing = new Map<string, NoticeStatus>();
  const keys = drafts.map((d) => d.dedupeKey);
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await prisma.outboundMessage.findMany({
      where: { dedupeKey: { in: keys.slice(i, i + 500) } },
      select: { dedupeKey: true, status: true },
    });
    for (const row of rows) existing.set(row.dedupeKey, row.status);
  }
  const plan: NoticePlan = {
    incident: { id: incident.id, code: incident.code, title: incident.title, status: incident.status },
    recipients: drafts.length,
    willQueue: 0,
    alreadyHandled: {},
    skipped: {},
  };
  for (const draft of drafts) {
    const status = existing.get(draft.dedupeKey);
    if (status && !(status === "SKIPPED" && !draft.skip)) {
      plan.alreadyHandled[status] = (plan.alreadyHandled[status] ?? 0) + 1;
    } else if (draft.skip) {
      plan.skipped[draft.skip.reason] = (plan.skipped[draft.skip.reason] ?? 0) + 1;
    } else {
      plan.willQueue += 1;
    }
  }
  return plan;
}

export interface NoticePreview {
  customer: { id: string; displayId: string; name: string; email: string; emailVerified: boolean };
  language: Language;
  /** Why this customer would get no mail, if so. */
  recipientProblem: { reason: SkipReason; detail: string } | null;
  /** Status of an existing message for the same dedupe key: a send would not write another. */
  existingStatus: NoticeStatus | null;
  rendered: RenderedNotice;
}

/**
 * The notice one victim would receive, rendered from their real data. Throws TemplateVariablesError (422) when the
 * template cannot be written for them: the compose screen shows it and offers no send.
 */
export async function previewNotice(input: NoticeTarget & { customerId: string }): Promise<NoticePreview> {
  const target = parseTarget({ ...input, customerIds: [input.customerId] });
  const incident = await loadIncident(prisma, target.incidentId);
  const [victim] = await loadVictims(prisma, incident.id, target.customerIds);
  const language = resolveLanguage(target.language, victim!.preferredLanguage);
  const variables = await loadNoticeVariables(prisma, target.template, incident, [victim!]);
  const rendered = renderNotice(target.template, language, variables.get(victim!.id)!);
  const suspect = await firstUnreviewedChanges(prisma, [victim!.id], "EMAIL");
  const existing = await prisma.outboundMessage.findUnique({
    where: {
      dedupeKey: dedupeKeyOf({
        incidentId: incident.id,
        customerId: victim!.id,
        template: target.template,
        discriminator: discriminatorFor(target.template, incident),
      }),
    },
    select: { status: true },
  });
  return {
    customer: {
      id: victim!.id,
      displayId: victim!.displayId,
      name: victim!.name,
      email: victim!.email,
      emailVerified: victim!.emailVerified,
    },
    language,
    recipientProblem: recipientProblem(victim!, suspect.get(victim!.id) ?? null),
    existingStatus: existing?.status ?? null,
    rendered,
  };
}

export interface EnqueueNoticesResult {
  incidentId: string;
  template: string;
  recipients: number;
  queued: number;
  duplicates: number;
  skipped: number;
}

// Recipients per transaction. A send to every victim is a sequence of transactions of this size, each writing its
// messages and their audit rows together; the dedupe key makes the sequence safe to repeat after an interruption.
export const NOTICE_CHUNK = 1_000;

/**
 * Queues the notice for the incident's victims (all, or `customerIds`) through the audited spine. One recipient needs
 * notify:send; more need bulk:run and a fresh step-up (the spec; the route sends the member to step up first). Large sends are written in transactions
 * of NOTICE_CHUNK recipients: if one fails, the ones before it stand, and sending again completes the rest (nobody
 * gets a notice twice). Audit rows say who sent which template to whom — never the content.
 */
export async function enqueueNotices(
  ctx: ActionContext,
  input: NoticeTarget & { reason?: string },
): Promise<EnqueueNoticesResult> {
  const target = parseTarget(input);
  const single = target.customerIds?.length === 1;
  const total: EnqueueNoticesResult = {
    incidentId: target.incidentId,
    template: target.template,
    recipients: 0,
    queued: 0,
    duplicates: 0,
    skipped: 0,
  };
  let plan: { incident: NoticeIncident; victims: Victim[] } | null = null;
  let offset = 0;
  do {
    const chunkResult = await performAction(
      ctx,
      {
        action: "notify.send",
        permission: single ? "notify:send" : "bulk:run",
        // A send to many needs a fresh step-up, checked before the first part: a send that outlasts the step-up
        // window is finished on the authority it started with.
        stepUp: !single && offset === 0,
        targetType: single ? "customer" : "incident",
        targetId: single ? target.customerIds![0] : target.incidentId,
        incidentId: target.incidentId,
        reason: input.reason,
      },
      async (tx) => {
        // The recipients are resolved (and checked) inside the first transaction, so a refusal is audited.
        plan ??= await (async () => {
          const incident = await loadIncident(tx, target.incidentId);
          return { incident, victims: await loadVictims(tx, incident.id, target.customerIds) };
        })();
        const victims = plan.victims.slice(offset, offset + NOTICE_CHUNK);
        const { incident, drafts } = await buildDrafts(tx, target, actorId(ctx.actor), {
          incident: plan.incident,
          victims,
        });
        // Sending to one customer whose data the notice needs is missing: refuse (as the preview did), write
        // nothing. In a bulk send the same customer is skipped with the reason, so the others still hear from us.
        const lone = drafts.length === 1 ? drafts[0]!.skip : null;
        if (single && lone?.reason === "MISSING_DATA") {
          const needs = lone.detail.split(NEEDS_SEPARATOR);
          throw new DomainError(
            "TEMPLATE_VARIABLES_MISSING",
            `This notice cannot be written for this customer: it needs ${describeNeeds(needs)}.`,
            422,
            {},
            { needs },
          );
        }
        const outcomes = await writeDrafts(tx, drafts);
        const summary = {
          recipients: drafts.length,
          queued: outcomes.filter((o) => o.outcome === "queued").length,
          duplicates: outcomes.filter((o) => o.outcome === "duplicate").length,
          skipped: outcomes.filter((o) => o.outcome === "skipped").length,
        };
        const chunks = Math.ceil(plan.victims.length / NOTICE_CHUNK);
        return {
          result: summary,
          after: {
            template: target.template,
            language: target.language,
            ...(chunks > 1 ? { part: offset / NOTICE_CHUNK + 1, parts: chunks } : {}),
            ...summary,
          },
          // One row per recipient a message was written for: "who was sent which template" is answerable per account.
          extraEvents: drafts.flatMap((draft, i) => {
            const outcome = outcomes[i]!;
            if (outcome.outcome === "duplicate") return [];
            return [
              {
                action: "notify.enqueue",
                outcome: "SUCCESS" as const,
                targetType: "customer",
                targetId: draft.customerId,
                incidentId: incident.id,
                after: {
                  template: draft.template,
                  language: draft.language,
                  messageId: outcome.messageId,
                  status: outcome.outcome === "queued" ? "QUEUED" : "SKIPPED",
                  ...(outcome.outcome === "skipped" ? { skipReason: outcome.reason } : {}),
                },
              },
            ];
          }),
        };
      },
    );
    total.recipients += chunkResult.recipients;
    total.queued += chunkResult.queued;
    total.duplicates += chunkResult.duplicates;
    total.skipped += chunkResult.skipped;
    offset += NOTICE_CHUNK;
    // Deliveries can start while later parts are still being written.
    if (chunkResult.queued > 0) wakeOutboxWorker();
  } while (plan !== null && offset < (plan as { victims: Victim[] }).victims.length);
  return total;
}

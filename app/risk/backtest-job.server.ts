// The backtest as a bulk job (app/jobs/job-loop.server.ts): a lead asks for a backtest of a rule version through the
// spine (queueBacktest), the job runner replays the recording in the background, and the figures are saved with the
// rule version when the replay is done. The page shows how far the replay is (events replayed of the events there
// are) from the job's row.
//
//   queueBacktest   risk:draft, audited (risk.rule.backtest.queue): one job of one item (the rule version); asking
//                   again while one is queued or running answers with that job
//   prepareBatch    the replay: outside any transaction of the job's (a cancel is not kept waiting), up to the moment
//                   the lead asked; progress renews the lease, and a cancel stops it at the next progress report
//   processBatch    saves the figures (risk_backtest, unique per job) and audits them (risk.rule.backtest) in the
//                   batch's transaction: a job resumed after a crash or a lease takeover replays again, never saves twice
import type { ActionContext } from "~/audit/perform-action.server";
import { claimSubmission } from "~/audit/submitted-once.server";
import { performAction } from "~/audit/perform-action.server";
import { database, prisma, type DbTx } from "~/db.server";
import type { Prisma } from "~/generated/prisma/client";
import type { BulkJobStatus } from "~/generated/prisma/enums";
import { enqueueJob } from "~/jobs/job-enqueue.server";
import { registerJobHandler, type JobHandler, type JobRecord } from "~/jobs/job-handlers.server";
import { runJob } from "~/jobs/job-loop.server";
import { type RunnerOptions } from "~/jobs/job-options";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";
import { runBacktest, type BacktestResults } from "~/risk/backtest.server";
import { RULE_FOR_EVALUATION_COLUMNS, type RuleForEvaluation } from "~/risk/engine";

export const BACKTEST_JOB_KIND = "risk.backtest";

interface BacktestJobParams {
  ruleId: string;
  ruleKey: string;
  version: number;
  /** The replay reads the recording up to this moment (when the lead asked): a resumed job reads the same events. */
  until: string;
}

const paramsOf = (job: JobRecord) => job.params as BacktestJobParams;

/** The figures compliance reads next to a publication. */
export function summariseBacktest(results: BacktestResults) {
  return {
    topUpsReplayed: results.topUpsReplayed,
    matchedTopUps: results.matched.topUps,
    fraudStoppedYen: results.fraudStopped.yen,
    fraudYen: results.groundTruth.yen,
    victimsStopped: results.fraudStopped.victims,
    legitimateTouchedTopUps: results.legitimateTouched.topUps,
    legitimateTouchedYen: results.legitimateTouched.yen,
    precision: results.precision,
    recallYen: results.recallYen,
  };
}

function ruleNotFound(): DomainError {
  return new DomainError("RULE_NOT_FOUND", "There is no such rule.", 404);
}

async function ruleForEvaluation(ruleId: string): Promise<RuleForEvaluation> {
  const rule = await prisma.riskRule.findUnique({ where: { id: ruleId }, select: RULE_FOR_EVALUATION_COLUMNS });
  if (!rule) throw ruleNotFound();
  return rule;
}

/** The handler; `pageSize` (rows per keyset page of the replay) is for tests that want many progress reports. */
export function backtestJobHandler(options: { pageSize?: number } = {}): JobHandler {
  return {
    kind: BACKTEST_JOB_KIND,
    permission: "risk:draft",
    batchSize: 1,
    async prepareBatch(job, _items, progress) {
      const params = paramsOf(job);
      const rule = await ruleForEvaluation(params.ruleId);
      const replay = { until: new Date(params.until), onProgress: progress, batchSize: options.pageSize };
      // PostgreSQL: one read transaction on a connection of its own. The embedded database has one connection, and a
      // transaction would hold it (the progress writes would wait for the replay that waits for them): page by page.
      return database.mode === "postgresql"
        ? database.sqlTransaction((sql) => runBacktest(sql, [rule], replay))
        : runBacktest(database.sql, [rule], replay);
    },
    async processBatch(tx, job, items, prepared) {
      const params = paramsOf(job);
      const results = prepared as BacktestResults;
      const item = items[0]!;
      const backtest = await tx.riskBacktest.create({
        data: {
          ruleId: params.ruleId,
          startedById: job.createdById,
          createdAt: now(),
          jobId: job.id,
          results: results as unknown as Prisma.InputJsonValue,
        },
      });
      return {
        outcomes: [{ itemId: item.id, status: "SUCCEEDED", resultId: backtest.id }],
        auditEvents: [
          {
            action: "risk.rule.backtest",
            outcome: "SUCCESS",
            targetType: "risk_rule",
            targetId: params.ruleId,
            after: {
              backtestId: backtest.id,
              jobId: job.id,
              ruleKey: params.ruleKey,
              version: params.version,
              ...summariseBacktest(results),
            },
          },
        ],
      };
    },
    async finish(tx, job) {
      const saved = await tx.riskBacktest.findUnique({ where: { jobId: job.id }, select: { id: true } });
      return { backtestId: saved?.id ?? null };
    },
  };
}

export const backtestJob = backtestJobHandler();

// Known to every process that imports it (a cancel from the console checks the handler's permission), not only to
// the one running the job runner (app/jobs/workers.server.ts).
registerJobHandler(backtestJob);

/**
 * Queues a backtest of this rule version (or answers with the one already queued or running). `submissionKey` is the
 * rule page's one-time key for its button: a repeat of that post is refused even once the first replay has ended.
 */
export async function queueBacktest(
  ctx: ActionContext,
  ruleId: string,
  submissionKey?: string,
): Promise<{ jobId: string; queued: boolean }> {
  return performAction<{ jobId: string; queued: boolean }>(
    ctx,
    { action: "risk.rule.backtest.queue", permission: "risk:draft", targetType: "risk_rule", targetId: ruleId },
    async (tx) => {
      if (ctx.actor.kind !== "staff") {
        throw new DomainError("STAFF_ONLY", "Only staff can change risk rules.", 403);
      }
      await claimSubmission(tx, {
        key: submissionKey,
        action: "risk.rule.backtest.queue",
        staffId: ctx.actor.id,
        messageKey: "risk:detail.backtestAlreadyStarted",
      });
      // The rule's row lock serialises two clicks: the second finds the first one's job.
      const rules = await tx.$queryRaw<{ id: string; rule_key: string; version: number }[]>`
        SELECT id::text AS id, rule_key, version FROM risk_rule WHERE id = ${ruleId}::uuid FOR UPDATE`;
      const rule = rules[0];
      if (!rule) throw ruleNotFound();
      const running = await unfinishedJobOf(tx, rule.id);
      if (running) {
        return { result: { jobId: running, queued: false }, after: { jobId: running, alreadyQueued: true } };
      }
      await assertBacktestRoom(tx);
      const at = now();
      const params: BacktestJobParams = {
        ruleId: rule.id,
        ruleKey: rule.rule_key,
        version: rule.version,
        until: at.toISOString(),
      };
      const { id } = await enqueueJob(tx, {
        kind: BACKTEST_JOB_KIND,
        params,
        totals: { ruleKey: rule.rule_key, version: rule.version },
        items: [{ subjectId: rule.id }],
        createdBy: { id: ctx.actor.id, role: ctx.actor.role },
        at,
      });
      return {
        result: { jobId: id, queued: true },
        after: { jobId: id, ruleKey: rule.rule_key, version: rule.version },
      };
    },
  );
}

/**
 * Backtests waiting or running at once, across all rules. Each replays the whole recording and shares the job runner
 * with the incident's bulk reversals and resets: rule after rule asked for at once must not queue unbounded work in
 * front of them. A few is plenty for leads comparing drafts (ADR 079).
 */
export const MAX_UNFINISHED_BACKTESTS = 3;

/** Refuses a new backtest while the cap is reached. The advisory lock orders concurrent asks, so none overshoots. */
async function assertBacktestRoom(tx: DbTx): Promise<void> {
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${BACKTEST_JOB_KIND}))::text`;
  const [row] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM bulk_job WHERE kind = ${BACKTEST_JOB_KIND} AND status IN ('QUEUED', 'RUNNING')`;
  if ((row?.n ?? 0) >= MAX_UNFINISHED_BACKTESTS) {
    throw new DomainError(
      "BACKTESTS_BUSY",
      `${MAX_UNFINISHED_BACKTESTS} backtests are already waiting or running. Try again when one has finished, or cancel one.`,
      429,
      { max: MAX_UNFINISHED_BACKTESTS },
    );
  }
}

async function unfinishedJobOf(tx: DbTx, ruleId: string): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM bulk_job
     WHERE kind = ${BACKTEST_JOB_KIND} AND status IN ('QUEUED', 'RUNNING') AND params->>'ruleId' = ${ruleId}
     ORDER BY created_at DESC LIMIT 1`;
  return rows[0]?.id ?? null;
}

/**
 * Queues a backtest and runs it to the end in this process (scripts and tests; the console leaves it to the job
 * runner). Returns the saved backtest and its figures; refuses when the job did not succeed.
 */
export async function backtestRule(ctx: ActionContext, ruleId: string, options: RunnerOptions = {}) {
  const { jobId } = await queueBacktest(ctx, ruleId);
  const outcome = await runJob(jobId, { ...options, handlers: [backtestJob] });
  const backtest = await prisma.riskBacktest.findUnique({ where: { jobId } });
  if (!backtest) {
    throw new DomainError(
      "BACKTEST_NOT_FINISHED",
      `The backtest did not finish (${outcome?.status ?? "run elsewhere"}).`,
      409,
    );
  }
  return { backtest, results: backtest.results as unknown as BacktestResults, jobId };
}

export interface BacktestJobView {
  id: string;
  status: BulkJobStatus;
  /** Events replayed so far, of the events there are (null until the replay has reported). */
  done: number | null;
  total: number | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Now, by the server's clock: the page works out the elapsed time from it, not from the browser's clock. */
  serverNow: string;
  cancelRequested: boolean;
  lastError: string | null;
}

/** The latest backtest job of a rule version, for its page. */
export async function latestBacktestJob(ruleId: string): Promise<BacktestJobView | null> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM bulk_job
     WHERE kind = ${BACKTEST_JOB_KIND} AND params->>'ruleId' = ${ruleId}
     ORDER BY created_at DESC LIMIT 1`;
  if (!rows[0]) return null;
  const job = await prisma.bulkJob.findUnique({ where: { id: rows[0].id } });
  if (!job) return null;
  return {
    id: job.id,
    status: job.status,
    done: job.progressDone === null ? null : Number(job.progressDone),
    total: job.progressTotal === null ? null : Number(job.progressTotal),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    serverNow: now().toISOString(),
    cancelRequested: job.cancelRequestedAt !== null,
    lastError: job.lastError,
  };
}

/**
 * Waits a moment for a queued backtest (the default replay takes about a second): the saved figures when it finished
 * in time, else null (the page then shows the progress).
 */
export async function awaitBacktest(jobId: string, waitMs: number): Promise<BacktestResults | null> {
  const deadline = performance.now() + waitMs;
  for (;;) {
    const job = await prisma.bulkJob.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job || (job.status !== "QUEUED" && job.status !== "RUNNING")) break;
    if (performance.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const saved = await prisma.riskBacktest.findUnique({ where: { jobId } });
  return saved ? (saved.results as unknown as BacktestResults) : null;
}

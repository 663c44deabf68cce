// Prometheus metrics (prom-client). One registry per process, kept on globalThis: the scripts (tsx) and the Remix
// build each load their own copy of this module, and both must count into the registry /metrics serves.
// Figures that live in the database (switch state, outbox, jobs, audit head) are read when scraped, so every process
// reports the same truth; counters and histograms are per process (Prometheus sums them across instances). Behind one
// port shared by several web processes (node:cluster) a scrape answers for all of them: the primary sums counters and
// histograms and takes the database figures once (app/ops/cluster-metrics.server.ts, docs/decisions/042-…).
import client from "prom-client";
import { readOperationalFigures } from "~/ops/operational-figures.server";

export interface Metrics {
  registry: client.Registry;
  httpDuration: client.Histogram<"method" | "route" | "status">;
  topUpDecisions: client.Counter<"outcome">;
  /** Observations lost because this module could not be loaded when they were made (counted once it loads). */
  droppedObservations: client.Counter;
}

const holder = globalThis as unknown as { firebreakMetrics?: Metrics };

/**
 * A figure read from the database at each scrape. The same in every process, so behind a cluster the primary reports
 * one process's value ("first") rather than the sum.
 */
function databaseGauge<T extends string = never>(
  registry: client.Registry,
  name: string,
  help: string,
  options: { labelNames?: readonly T[]; aggregator?: client.Aggregator } = {},
): client.Gauge<T> {
  const { labelNames = [], aggregator = "first" } = options;
  return new client.Gauge({ name, help, labelNames, aggregator, registers: [registry] });
}

function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: "firebreak_" });
  const httpDuration = new client.Histogram({
    name: "firebreak_http_request_duration_seconds",
    help: "HTTP request latency by route (the Remix route pattern, not the concrete URL)",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const topUpDecisions = new client.Counter({
    name: "firebreak_topup_decisions_total",
    help: "Wallet top-up decisions by outcome (ACCEPTED, REPLAYED, or the refusal's code)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const droppedObservations = new client.Counter({
    name: "firebreak_metrics_dropped_observations_total",
    help: "Request latencies not recorded because the metrics module failed to load when the request finished",
    registers: [registry],
  });
  const switchEngaged = databaseGauge(
    registry,
    "firebreak_kill_switch_engaged",
    "1 while the kill switch is engaged, 0 while released",
    { labelNames: ["key"] },
  );
  const outboxMessages = databaseGauge(
    registry,
    "firebreak_outbox_messages",
    "Outbound mail by status (QUEUED and SENDING are the queue; UNCERTAIN needs a person)",
    { labelNames: ["status"] },
  );
  const outboxAge = databaseGauge(
    registry,
    "firebreak_outbox_oldest_queued_age_seconds",
    "Age of the oldest message that is due and not yet sent (0 when the queue is empty)",
  );
  const jobItems = databaseGauge(
    registry,
    "firebreak_bulk_job_items",
    "Items of bulk jobs that are QUEUED or RUNNING, by job kind and item state",
    { labelNames: ["kind", "state"] },
  );
  const auditHeadAge = databaseGauge(
    registry,
    "firebreak_audit_chain_head_age_seconds",
    "Seconds since the newest signed audit checkpoint (how much of the trail is not yet signed, in time)",
  );
  const auditUnsigned = databaseGauge(
    registry,
    "firebreak_audit_rows_after_checkpoint",
    "Audit rows written after the newest signed checkpoint",
  );
  // The lowest across processes: one process that cannot reach the database makes the scrape say so.
  const scrapeOk = databaseGauge(
    registry,
    "firebreak_database_up",
    "1 when the database answered this scrape's queries",
    {
      aggregator: "min",
    },
  );
  // One collect hook for all the database figures: one round of queries per scrape.
  const collectFigures = async () => {
    try {
      const figures = await readOperationalFigures();
      switchEngaged.reset();
      for (const s of figures.switches) switchEngaged.set({ key: s.key }, s.engaged ? 1 : 0);
      outboxMessages.reset();
      for (const [status, count] of Object.entries(figures.outbox.byStatus)) outboxMessages.set({ status }, count);
      outboxAge.set(figures.outbox.oldestDueAgeSeconds);
      jobItems.reset();
      for (const j of figures.jobs) {
        jobItems.set({ kind: j.kind, state: "total" }, j.total);
        jobItems.set({ kind: j.kind, state: "done" }, j.done);
      }
      auditHeadAge.set(figures.audit.checkpointAgeSeconds ?? -1);
      auditUnsigned.set(figures.audit.rowsAfterCheckpoint);
      scrapeOk.set(1);
    } catch {
      // Not the last values read: a switch shown released, or a queue shown empty, while nobody can tell is worse than
      // no figure at all. Per-label series are absent and single figures NaN until the database answers;
      // firebreak_database_up says why.
      for (const gauge of [switchEngaged, outboxMessages, jobItems]) gauge.reset();
      for (const gauge of [outboxAge, auditHeadAge, auditUnsigned]) gauge.set(Number.NaN);
      scrapeOk.set(0);
    }
  };
  return { registry: withCollect(registry, collectFigures), httpDuration, topUpDecisions, droppedObservations };
}

/** Runs `collect` before every scrape (prom-client collects gauges per metric; this refreshes them all at once). */
function withCollect(registry: client.Registry, collect: () => Promise<void>): client.Registry {
  const metrics = registry.metrics.bind(registry);
  registry.metrics = async () => {
    await collect();
    return metrics();
  };
  // The cluster primary asks each web process for its figures as JSON.
  const asJson = registry.getMetricsAsJSON.bind(registry);
  registry.getMetricsAsJSON = async () => {
    await collect();
    return asJson();
  };
  return registry;
}

export function getMetrics(): Metrics {
  holder.firebreakMetrics ??= createMetrics();
  return holder.firebreakMetrics;
}

export function countTopUpDecision(outcome: string): void {
  getMetrics().topUpDecisions.inc({ outcome });
}

// /metrics when several web processes share one port (node:cluster, docs/decisions/042-several-web-processes.md).
// A scraper reaches whichever process the primary hands the connection to, so each process answering for itself would
// make counters jump between scrapes. Instead the process that received the scrape asks the primary, which gathers
// every web process's registry with prom-client's AggregatorRegistry: counters and histograms summed, the figures
// read from the database (the same in every process) taken once.
import cluster from "node:cluster";
import client from "prom-client";
import { getMetrics } from "~/ops/metrics.server";

const REQUEST = "firebreak:metrics-request";
const RESPONSE = "firebreak:metrics-response";

interface MetricsRequest {
  type: typeof REQUEST;
  id: number;
}
interface MetricsResponse {
  type: typeof RESPONSE;
  id: number;
  text?: string;
  error?: string;
}

const isRequest = (message: unknown): message is MetricsRequest =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === REQUEST;
const isResponse = (message: unknown): message is MetricsResponse =>
  typeof message === "object" && message !== null && (message as { type?: unknown }).type === RESPONSE;

/** In the primary: answer web processes' requests for the whole cluster's metrics. */
export function serveClusterMetrics(): void {
  const aggregator = new client.AggregatorRegistry();
  cluster.on("message", (worker, message: unknown) => {
    if (!isRequest(message)) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text } satisfies MetricsResponse),
      (error: unknown) =>
        worker.send({
          type: RESPONSE,
          id: message.id,
          error: error instanceof Error ? error.message : String(error),
        } satisfies MetricsResponse),
    );
  });
}

const holder = globalThis as unknown as { firebreakClusterMetrics?: { next: number } };

/** In a web process forked by the primary: hand this process's registry to the primary's aggregator. */
export function joinClusterMetrics(): void {
  if (holder.firebreakClusterMetrics) return;
  holder.firebreakClusterMetrics = { next: 0 };
  // Constructing one installs prom-client's listener that answers the primary with this process's registry.
  new client.AggregatorRegistry();
  client.AggregatorRegistry.setRegistries([getMetrics().registry]);
}

export const inClusterWorker = (): boolean => cluster.isWorker && holder.firebreakClusterMetrics !== undefined;

const TIMEOUT_MS = 10_000;

/** In a web process: the metrics of every web process, in Prometheus text format, from the primary. */
export function clusterMetricsText(): Promise<string> {
  const state = (holder.firebreakClusterMetrics ??= { next: 0 });
  const id = state.next++;
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isResponse(message) || message.id !== id) return;
      clearTimeout(timer);
      process.off("message", onMessage);
      if (message.error !== undefined || message.text === undefined) reject(new Error(message.error ?? "no metrics"));
      else resolve(message.text);
    };
    const timer = setTimeout(() => {
      process.off("message", onMessage);
      reject(new Error("the primary did not answer with the cluster's metrics"));
    }, TIMEOUT_MS);
    process.on("message", onMessage);
    process.send!({ type: REQUEST, id } satisfies MetricsRequest);
  });
}

// The operator-facing side of the HTTP server (scripts/lib/http-server.ts): probes, metrics, the request log, and
// the 503 answer while the database is away.
import { createHash, timingSafeEqual } from "node:crypto";
import type { ServerBuild } from "@remix-run/node";
import type express from "express";
import type pino from "pino";
import { isConnectionLoss, isDatabaseNotAnswering, isOverloaded } from "~/db/transient-errors";
import type { Metrics } from "~/ops/metrics.server";

// Imported lazily: these open the database, and the HTTP server module is loaded before the environment has been
// validated (scripts/start.ts reports a bad environment in one line, without touching the database). Each import is
// kept once made: under tsx's loader every import() call, even of a module already loaded, asks the loader's thread
// to resolve it again: a /healthz answer cost 0.75 ms of CPU with the call made each time, 0.32 ms with it kept (ADR 093).
const once = <T>(load: () => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  // A failed import is tried again next time, as before.
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));
};
const health = once(() => import("~/ops/health.server"));
const metrics = once(() => import("~/ops/metrics.server"));
const clusterMetrics = once(() => import("~/ops/cluster-metrics.server"));

/** The fallbacks when the translation cannot be loaded; the console's copies live in common.errorPage. */
export const DATABASE_AWAY_MESSAGE =
  "The console cannot reach its database at the moment. Nothing was changed. Try again in a few seconds.";
const BUSY_MESSAGE = "The console is too busy to answer right now. Nothing was changed. Try again in a few seconds.";
const NOT_ANSWERING_MESSAGE = "The database is not answering. Nothing was changed. Try again in a minute.";
export const RETRY_AFTER_SECONDS = "5";
/** How long the 503 waits for the member's language from the database before it answers in the browser's. */
const LANGUAGE_LOOKUP_MS = 1_000;

/** In the member's language when the database still gives it at once, else in the browser's. */
type Unavailable = "databaseAway" | "databaseNotAnswering" | "busy";

const FALLBACK_MESSAGES: Record<Unavailable, string> = {
  databaseAway: DATABASE_AWAY_MESSAGE,
  databaseNotAnswering: NOT_ANSWERING_MESSAGE,
  busy: BUSY_MESSAGE,
};

async function unavailableMessage(request: Request, cause: Unavailable): Promise<string> {
  try {
    const { languageOfWithin, translatorFor } = await import("~/i18n/i18next.server");
    const t = translatorFor(await languageOfWithin(request, LANGUAGE_LOOKUP_MS), "common");
    return t(`errorPage.${cause}`);
  } catch {
    return FALLBACK_MESSAGES[cause];
  }
}

/** Why a failed loader or action could not be answered, when the database is the reason; null otherwise. */
function unavailableCause(error: unknown): Unavailable | null {
  if (error instanceof Response) return null;
  if (isDatabaseNotAnswering(error)) return "databaseNotAnswering";
  if (isConnectionLoss(error)) return "databaseAway";
  if (isOverloaded(error)) return "busy";
  return null;
}

/**
 * A build whose loaders and actions answer 503 (with a clear message and Retry-After) when the database connection
 * is lost, when it did not answer within its bounds (a statement or lock timeout, a server that stopped answering:
 * docs/decisions/080-read-bounds.md), or when no connection came free within the pool's wait (a burst of load),
 * instead of the 500 of an unexpected error. Nothing was changed in any of these cases: the transaction that failed
 * was rolled back. Anything else propagates unchanged.
 */
export function withDatabaseOutageAs503(build: ServerBuild): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const module = { ...route.module };
    for (const key of ["loader", "action"] as const) {
      const handler = route.module[key];
      if (!handler) continue;
      module[key] = async (args: Parameters<NonNullable<typeof handler>>[0]) => {
        try {
          return await handler(args);
        } catch (error) {
          const cause = unavailableCause(error);
          if (cause) {
            throw new Response(await unavailableMessage(args.request, cause), {
              status: 503,
              headers: { "Retry-After": RETRY_AFTER_SECONDS, "Content-Type": "text/plain; charset=utf-8" },
            });
          }
          throw error;
        }
      };
    }
    routes[id] = { ...route, module: module as typeof route.module };
  }
  return { ...build, routes };
}

interface RoutePattern {
  pattern: string;
  regex: RegExp;
  specificity: number;
}

/** The console's URL patterns (e.g. /accounts/:customerId), most specific first: the label for latency metrics. */
export function routePatterns(build: ServerBuild): RoutePattern[] {
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    if (!route) return "";
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  const seen = new Set<string>();
  const patterns: RoutePattern[] = [];
  for (const id of Object.keys(build.routes)) {
    const pattern = fullPath(id) || "/";
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    const source = pattern
      .split("/")
      .map((segment) =>
        segment === "*" ? ".*" : segment.startsWith(":") ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
      )
      .join("/");
    const segments = pattern.split("/");
    patterns.push({
      pattern,
      regex: new RegExp(`^${source === "" ? "/" : source}/?$`),
      specificity: segments.length * 10 - segments.filter((s) => s.startsWith(":") || s === "*").length * 5,
    });
  }
  return patterns.sort((a, b) => b.specificity - a.specificity);
}

const OPS_PATHS = new Set(["/healthz", "/readyz", "/metrics"]);

/** Single fetch asks for a page's data at `<path>.data` (`/_root.data` for `/`): the page it serves. */
export function pageOfDataRequest(pathname: string): string | null {
  if (!pathname.endsWith(".data")) return null;
  return pathname === "/_root.data" ? "/" : pathname.slice(0, -".data".length);
}

export function routeLabel(patterns: RoutePattern[], pathname: string): string {
  if (pathname.startsWith("/build/")) return "/build/*";
  if (OPS_PATHS.has(pathname)) return pathname;
  // A page's data is labelled as the page: one latency series per screen, whether navigated to or loaded whole.
  const page = pageOfDataRequest(pathname) ?? pathname;
  return patterns.find((p) => p.regex.test(page))?.pattern ?? "(unmatched)";
}

// A path segment that is itself a credential (the one-time invitation link) is logged as the route's pattern: whoever
// reads the log could otherwise set that member's password and enrol their own authenticator.
const CREDENTIAL_PARAM = /\/:token(\/|$)/;

type RequestMetrics = Pick<Metrics, "httpDuration" | "droppedObservations">;

const loadRequestMetrics = async (): Promise<RequestMetrics> => (await metrics()).getMetrics();

/**
 * One JSON log line and one histogram observation per request; never the query string, cookies, headers or a token in
 * the path.
 */
export function requestLogAndMetrics(
  logger: pino.Logger,
  patterns: RoutePattern[],
  loadMetrics: () => Promise<RequestMetrics> = loadRequestMetrics,
): (req: express.Request, res: express.Response, next: express.NextFunction) => void {
  // The registry loads lazily; a request that finishes before it has loaded is still counted once it has (a fast first
  // page would otherwise be missing from every scrape). If it fails to load, the observation is lost: said once in the
  // log, and counted, so the scrape that finally works shows how many latencies are missing.
  let loaded: RequestMetrics | undefined;
  let loading: Promise<RequestMetrics> | undefined;
  let dropped = 0;
  const observe = (labels: { method: string; route: string; status: string }, seconds: number) => {
    if (loaded) return loaded.httpDuration.observe(labels, seconds);
    loading ??= loadMetrics().then((m) => {
      loaded = m;
      if (dropped > 0) m.droppedObservations.inc(dropped);
      return m;
    });
    loading
      .then((m) => m.httpDuration.observe(labels, seconds))
      .catch((error: unknown) => {
        loading = undefined;
        dropped += 1;
        if (dropped === 1) {
          logger.error({ err: error }, "metrics failed to load: request latencies are dropped until they do");
        }
      });
  };
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(patterns, req.path);
      const status = String(res.statusCode);
      observe({ method: req.method, route, status }, seconds);
      const entry = {
        requestId: res.getHeader("X-Request-Id"),
        method: req.method,
        route,
        path: CREDENTIAL_PARAM.test(route) ? route : req.path,
        status: res.statusCode,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
      };
      // 503 is an answered outage (database away, draining), already on the readiness probe; other 5xx are defects.
      if (res.statusCode === 503) logger.warn(entry, "request refused: unavailable");
      else if (res.statusCode >= 500) logger.error(entry, "request failed");
      else logger.info(entry, "request");
    });
    next();
  };
}

/** Compared through their digests, in constant time: how long a refusal takes says nothing about the token. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Who may scrape /metrics: with FIREBREAK_METRICS_TOKEN set, whoever sends it as a bearer token; without it, only a
 * scraper on this machine (the loopback address of the socket itself, not X-Forwarded-For) and never in production.
 */
export function mayScrape(req: express.Request, token: string | undefined, production: boolean): boolean {
  if (token) return sameSecret(req.get("authorization") ?? "", `Bearer ${token}`);
  if (production) return false;
  const address = req.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

export function attachOpsEndpoints(
  app: express.Express,
  options: { metricsToken?: string; production: boolean },
): void {
  app.get("/healthz", (_req, res, next) => {
    health().then(({ isDraining }) => {
      res
        .status(200)
        .type("application/json")
        .send(JSON.stringify({ status: isDraining() ? "draining" : "ok" }));
    }, next);
  });
  app.get("/readyz", (_req, res, next) => {
    health().then(async ({ checkReadiness }) => {
      const readiness = await checkReadiness();
      res
        .status(readiness.ready ? 200 : 503)
        .type("application/json")
        .send(JSON.stringify(readiness));
    }, next);
  });
  app.get("/metrics", (req, res, next) => {
    if (!mayScrape(req, options.metricsToken, options.production)) {
      res.status(403).type("text/plain").send("Metrics are for the monitoring system: send its bearer token.");
      return;
    }
    Promise.all([metrics(), clusterMetrics()]).then(async ([{ getMetrics }, cluster]) => {
      const { registry } = getMetrics();
      const text = cluster.inClusterWorker() ? await cluster.clusterMetricsText() : await registry.metrics();
      res.status(200).type(registry.contentType).send(text);
    }, next);
  });
}

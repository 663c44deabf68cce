// The HTTP server in front of the Remix build. It owns what must hold for *every* request, including resource routes
// and static files: the request ID, the client address, CSRF refusal by Origin / Sec-Fetch-Site, and default
// security headers. See docs/decisions/005-request-perimeter.md.
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import onHeaders from "on-headers";
import type pino from "pino";
import { runInRequestScope } from "~/lib/request-context.server";
import { applySecurityHeaders } from "~/lib/security-headers.server";
import {
  attachOpsEndpoints,
  pageOfDataRequest,
  RETRY_AFTER_SECONDS,
  requestLogAndMetrics,
  routePatterns,
  withDatabaseOutageAs503,
} from "~/ops/http-ops.server";
import { getLogger } from "~/ops/logger.server";
import { createRequestHandler } from "./remix-handler";
import { installRouteMatchingCache } from "./route-matching";
import { installServerRoutesCache } from "./server-routes";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const FILE_NAME = /\.[A-Za-z0-9]+$/;

export interface HttpServerOptions {
  /** The Remix build; may be absent only when serveConsole is false. */
  build?: ServerBuild | (() => Promise<ServerBuild>);
  /** Trust X-Forwarded-For / X-Forwarded-Proto from a reverse proxy (production behind a load balancer). */
  /** Reverse proxies in front of the server (0: none; the socket address is the client's). */
  trustProxyHops: number;
  mode: "development" | "production";
  /** The origin browsers use, e.g. https://firebreak.internal. Derived from the Host header when absent. */
  publicOrigin?: string;
  /** False in a worker-only process: it answers the probes and /metrics, nothing else. Default true. */
  serveConsole?: boolean;
  /** Bearer token the metrics scraper sends (docs/decisions/030-process-roles.md). */
  metricsToken?: string;
  logger?: pino.Logger;
  /** What turns a request into Remix's answer and writes it back: scripts/lib/remix-handler.ts unless a benchmark
   *  compares it with another (scripts/bench/request-pipeline.ts). */
  remixHandler?: typeof createRequestHandler;
}

function expectedOrigin(req: express.Request, publicOrigin?: string): string {
  if (publicOrigin) return new URL(publicOrigin).origin;
  return `${req.protocol}://${req.get("host")}`;
}

/** Non-GET requests must come from our own pages: same Origin, and not a cross-site fetch. */
export function isCrossSiteWrite(
  method: string,
  headers: { origin?: string; secFetchSite?: string; authorization?: string; cookie?: string },
  ownOrigin: string,
  pathname: string,
): boolean {
  if (SAFE_METHODS.has(method)) return false;
  // Machine clients of the service API authenticate with a bearer token and send no cookies: CSRF does not apply.
  if (pathname.startsWith("/api/") && headers.authorization?.startsWith("Bearer ") && !headers.cookie) return false;
  if (headers.secFetchSite === "cross-site") return true;
  if (!headers.origin || headers.origin === "null") return true;
  return headers.origin !== ownOrigin;
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The path Remix routes the request by: the URL resolved as the Fetch Request resolves it ("/api/../sign-in" and
 * "/api/%2e%2e/sign-in" are "/sign-in"). The perimeter's exemptions must judge that path, not the raw one express
 * sees, or a raw "/api/.." prefix would carry any route past the checks.
 */
export function routedPath(rawUrl: string): string {
  try {
    return new URL(rawUrl, "http://firebreak.invalid").pathname;
  } catch {
    return rawUrl;
  }
}

export function createHttpApp(options: HttpServerOptions): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Nothing reads express's req.query (Remix parses the URL itself): not parsing every query string with qs saves
  // that work on each request.
  app.set("query parser", false);
  // A hop count, never `true`: with `true` express takes the left-most X-Forwarded-For entry, which the client writes.
  app.set("trust proxy", options.trustProxyHops);

  app.use((req, res, next) => {
    const incoming = req.get("x-request-id");
    const requestId = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("X-Request-Id", requestId);
    // Remix sees only headers: hand it the client address we actually trust.
    req.headers["x-forwarded-for"] = req.ip ?? req.socket.remoteAddress ?? "";
    // Every response (pages, redirects, data, resource routes, static files) gets the security headers; a page
    // rendered by entry.server has already set its own CSP with the script nonce, which is kept.
    onHeaders(res, function applyDefaults(this: express.Response) {
      // Answered before its body was read (a 405, a redirect to sign in, a refusal)? Then the rest of the body is
      // still on the socket, and a client that reused the connection would wait for the keep-alive timeout: close it.
      if (!req.complete) this.setHeader("Connection", "close");
      // A 503 (the database is away, or the process is draining) tells clients and proxies when to try again.
      if (this.statusCode === 503 && !this.hasHeader("Retry-After")) this.setHeader("Retry-After", RETRY_AFTER_SECONDS);
      const headers = new Headers();
      applySecurityHeaders(headers, { nonce: null, production: options.mode === "production" });
      headers.forEach((value, name) => {
        if (!this.hasHeader(name)) this.setHeader(name, value);
      });
    });
    next();
  });

  const build = options.build;
  app.use(
    requestLogAndMetrics(
      options.logger ?? getLogger(),
      !build || typeof build === "function" ? [] : routePatterns(build),
    ),
  );
  attachOpsEndpoints(app, { metricsToken: options.metricsToken, production: options.mode === "production" });
  if (options.serveConsole === false || !build) {
    app.all("*", (_req, res) => {
      res.status(404).type("text/plain").send("This process runs the background workers only.");
    });
    return app;
  }

  app.use((req, res, next) => {
    // No console form or API call comes near this (the longest, 5,000 customer IDs for a bulk reversal, is ~200 KB);
    // Remix would otherwise buffer any body in memory.
    if (Number(req.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      res.status(413).setHeader("Connection", "close");
      res.type("text/plain").send(`Request too large: at most ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
      return;
    }
    next();
  });

  app.use((req, res, next) => {
    const crossSite = isCrossSiteWrite(
      req.method,
      {
        origin: req.get("origin"),
        secFetchSite: req.get("sec-fetch-site"),
        authorization: req.get("authorization"),
        cookie: req.get("cookie"),
      },
      expectedOrigin(req, options.publicOrigin),
      routedPath(req.originalUrl),
    );
    if (crossSite) {
      res
        .status(403)
        .type("text/plain")
        .send("Cross-site request refused: this form must be sent from the Firebreak console itself.");
      return;
    }
    next();
  });

  app.use((req, res, next) => {
    // Every console form is URL-encoded (no page uploads a file). Any other body would make Remix's formData() throw
    // inside an action, a 500 for something a script can send; the service API under /api/ speaks JSON.
    if (SAFE_METHODS.has(req.method) || routedPath(req.originalUrl).startsWith("/api/")) return next();
    const type = (req.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type === "application/x-www-form-urlencoded") return next();
    res
      .status(415)
      .type("text/plain")
      .send(
        "Unsupported form encoding: send the form as application/x-www-form-urlencoded, as the console's pages do.",
      );
  });

  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  // Only a name with an extension can be a file in public/ (favicon.svg): a console page skips the file-system
  // look-up that would otherwise cost every request a stat() (ADR 048).
  const servePublic = express.static(path.resolve("public"), { maxAge: "1h" });
  // A page's data (`/accounts.data`, single fetch) has an extension too, but is never a file.
  const isFileName = (pathname: string) => FILE_NAME.test(pathname) && pageOfDataRequest(pathname) === null;
  app.use((req, res, next) => (isFileName(req.path) ? servePublic(req, res, next) : next()));
  // While the database is away, pages and actions answer 503 with a clear message instead of a 500.
  const guarded =
    typeof build === "function" ? async () => withDatabaseOutageAs503(await build()) : withDatabaseOutageAs503(build);
  installRouteMatchingCache();
  installServerRoutesCache();
  const handler = (options.remixHandler ?? createRequestHandler)({ build: guarded, mode: options.mode });
  // Each request in a scope of its own: its loaders share what it works out once (the session, ADR 048).
  app.all("*", (req, res, next) => runInRequestScope(() => handler(req, res, next)));
  // What Remix itself did not answer reaches express: a path express cannot decode (invalid UTF-8, a 400 it marks as
  // such), or an error in Remix's adapter or a response stream that failed. Express's own handler would answer the
  // latter 500 and, under NODE_ENV=test, log nothing: log it with the request ID so no 500 goes unexplained.
  const logger = options.logger ?? getLogger();
  app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
    const marked = (error as { status?: unknown } | null)?.status;
    const status = typeof marked === "number" && marked >= 400 && marked < 500 ? marked : 500;
    if (status === 500)
      logger.error({ requestId: req.headers["x-request-id"], err: error }, "request failed outside Remix");
    if (res.headersSent) return next(error);
    res
      .status(status)
      .type("text/plain")
      .send(
        status === 500
          ? `Something went wrong on the server (request ${String(req.headers["x-request-id"])}).`
          : `Request refused (${status}): the console could not read it.`,
      );
  });
  return app;
}

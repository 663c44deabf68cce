// Per-request facts every audit row needs: client IP, user agent, and a request ID that also appears on error pages,
// so a support engineer can find the audit rows and logs of the request a user reports.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { Origin } from "~/audit/actor";

const REQUEST_ID_HEADER = "x-request-id";

const requestIds = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const incoming = request.headers.get(REQUEST_ID_HEADER);
    // Accept an upstream proxy's ID only if it looks like one; never echo arbitrary input into logs and audit rows.
    id = incoming && /^[A-Za-z0-9-]{8,64}$/.test(incoming) ? incoming : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/**
 * The client address. remix-serve (express) passes the socket address as X-Forwarded-For only when we are behind a
 * proxy we trust; we take the right-most entry, which the nearest proxy wrote, not the left-most, which a client sets.
 */
export function clientIpOf(request: Request): string | null {
  const forwarded = request.headers.get("x-forwarded-for");
  if (forwarded) {
    const parts = forwarded
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
    return parts[parts.length - 1] ?? null;
  }
  return request.headers.get("x-real-ip") ?? null;
}

export function originOf(request: Request): Origin {
  return {
    ip: clientIpOf(request),
    userAgent: request.headers.get("user-agent")?.slice(0, 512) ?? null,
    requestId: requestIdOf(request),
  };
}

// One HTTP request's memo. Remix hands every loader of a page its own copy of the Request (the root's and the page's),
// so a WeakMap keyed by Request cannot tell that they serve one request; the HTTP server instead runs each request in
// a scope of its own (AsyncLocalStorage), and what a request works out once (its session) is kept there until it ends.
// The HTTP server (tsx) and the Remix build each load their own copy of this module: the storage lives on globalThis
// so both see the same one.
type RequestScope = Map<string, Promise<unknown>>;
const SCOPE_STORAGE = Symbol.for("firebreak.request-scope");
const scopes = ((globalThis as Record<symbol, unknown>)[SCOPE_STORAGE] ??=
  new AsyncLocalStorage<RequestScope>()) as AsyncLocalStorage<RequestScope>;

/** Runs `fn` (an HTTP request's handling) in a fresh request scope. */
export function runInRequestScope<T>(fn: () => T): T {
  return scopes.run(new Map(), fn);
}

/**
 * `compute()` once per request scope and key; every later caller in the same request gets the same promise (also
 * while the first is still running: a page's loaders run concurrently). Outside a scope (tests calling a loader
 * directly, workers) it simply computes.
 */
export function oncePerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const scope = scopes.getStore();
  if (!scope) return compute();
  let pending = scope.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = compute();
    scope.set(key, pending);
  }
  return pending;
}

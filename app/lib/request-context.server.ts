// Per-request facts every audit row needs: client IP, user agent, and a request ID that also appears on error pages,
// so a support engineer can find the audit rows and logs of the request a user reports.
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

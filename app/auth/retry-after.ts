// Retry-After on 429 answers (throttled sign-in, blocked second step). Remix passes an action's headers to a document
// response only through the route's `headers` export, which is this.
import type { HeadersFunction } from "@remix-run/node";
import { now } from "~/lib/clock.server";

export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export function retryAfterSeconds(until: Date | null, from: Date): number | null {
  if (!until) return null;
  return Math.max(1, Math.ceil((until.getTime() - from.getTime()) / 1000));
}

/** The Retry-After header for an action refused until `blockedUntil` (none when nothing is blocked). */
export function retryAfterHeadersUntil(blockedUntil: Date | null): Record<string, string> | undefined {
  const seconds = retryAfterSeconds(blockedUntil, now());
  return seconds ? { "Retry-After": String(seconds) } : undefined;
}

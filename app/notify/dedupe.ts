// The dedupe key: at most one message per (incident, customer, template[, discriminator]), enforced by a UNIQUE index.
// The discriminator separates messages that are legitimately several for one template: an incident update per
// incident status, a reset mail per reset token.
import { createHash } from "node:crypto";

export interface DedupeParts {
  incidentId: string | null;
  customerId: string;
  template: string;
  discriminator?: string | null;
}

export function dedupeKeyOf(parts: DedupeParts): string {
  const base = `${parts.incidentId ?? "-"}:${parts.customerId}:${parts.template}`;
  return parts.discriminator ? `${base}:${parts.discriminator}` : base;
}

/**
 * What goes in the X-Firebreak-Dedupe-Key header: a digest, so outgoing mail does not carry our internal IDs, yet a
 * sink (or a relay's log search) can count deliveries per key.
 */
export function dedupeHeaderOf(dedupeKey: string): string {
  return createHash("sha256").update(dedupeKey).digest("hex").slice(0, 32);
}

export const DEDUPE_HEADER = "X-Firebreak-Dedupe-Key";

import type { Role } from "~/auth/permissions";

/** Who is acting. Staff act through the console; the system acts for jobs and the wallet back end. */
export type Actor =
  | { kind: "staff"; id: string; role: Role; email?: string }
  | { kind: "system"; id: string } // e.g. "system:seed", "system:job-runner", "system:auto-release"
  | { kind: "service"; id: string } // a payment service calling the API with a service token
  | { kind: "anonymous" }; // before sign-in (failed sign-in attempts)

/** Where the request came from (PCI DSS 10.2.2: origination). */
export interface Origin {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const NO_ORIGIN: Origin = { ip: null, userAgent: null, requestId: null };

export function actorId(actor: Actor): string | null {
  return actor.kind === "anonymous" ? null : actor.id;
}

export function actorRole(actor: Actor): string | null {
  if (actor.kind === "staff") return actor.role;
  if (actor.kind === "anonymous") return null;
  return actor.kind.toUpperCase();
}

// What one process does (docs/decisions/030-process-roles.md):
//   web    — serves the console and the service API; runs no background worker;
//   worker — runs every background worker; serves only /healthz, /readyz and /metrics;
//   all    — both (development, the embedded database, a single small deployment).
export const PROCESS_ROLES = ["web", "worker", "all"] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export function parseProcessRole(value: string | undefined, fallback: ProcessRole = "all"): ProcessRole {
  if (value === undefined || value === "") return fallback;
  if ((PROCESS_ROLES as readonly string[]).includes(value)) return value as ProcessRole;
  throw new Error(`unknown process role "${value}": use one of ${PROCESS_ROLES.join(", ")}`);
}

export const servesConsole = (role: ProcessRole) => role !== "worker";
export const runsWorkers = (role: ProcessRole) => role !== "web";

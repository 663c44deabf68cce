// The kill-switch API for other payment services: the state and version of every switch (with a strong ETag, so
// polling is cheap), and the versions each service instance reports it has applied, which the switch board shows.
import { createHash } from "node:crypto";
import { appendAuditEvents } from "~/audit/audit-log.server";
import type { Origin } from "~/audit/actor";
import { prisma } from "~/db.server";
import type { AuthenticatedService } from "~/killswitch/service-tokens.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

export interface ServiceSwitchState {
  key: string;
  label: string;
  engaged: boolean;
  version: number;
  changedAt: string | null;
  releaseAt: string | null;
}

export interface ServiceSwitchDocument {
  switches: ServiceSwitchState[];
  /** Sum of versions: grows with every change of any switch, handy for a one-number "have I applied it all". */
  boardVersion: number;
}

/** What services get: state and version, never the reason or who changed it (those stay in the console). */
export async function readSwitchDocument(): Promise<{ document: ServiceSwitchDocument; etag: string }> {
  const rows = await prisma.killSwitch.findMany({
    orderBy: { key: "asc" },
    select: { key: true, label: true, engaged: true, version: true, changedAt: true, releaseAt: true },
  });
  const switches = rows.map((row) => ({
    key: row.key,
    label: row.label,
    engaged: row.engaged,
    version: row.version,
    changedAt: row.changedAt?.toISOString() ?? null,
    releaseAt: row.releaseAt?.toISOString() ?? null,
  }));
  const document = { switches, boardVersion: switches.reduce((sum, s) => sum + s.version, 0) };
  // Strong validator: the hash of the exact representation sent.
  const etag = `"${createHash("sha256").update(JSON.stringify(document)).digest("hex").slice(0, 32)}"`;
  return { document, etag };
}

/** True when an If-None-Match header names this ETag (or is "*"). */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(",")
    .map((candidate) => candidate.trim())
    .some((candidate) => candidate === "*" || candidate === etag);
}

export interface AckInput {
  instance: string;
  applied: { key: string; version: number }[];
}

export interface AckOutcome {
  recorded: number;
  advanced: { key: string; from: number | null; to: number }[];
}

/**
 * Records what one instance of a service has applied. All or nothing: an unknown switch or a version that was never
 * issued refuses the whole report. Versions never go backwards (a late, reordered report cannot undo a newer one);
 * every report refreshes the instance's heartbeat. Only reports that advance a version reach the audit trail.
 */
export async function recordServiceAcks(
  service: AuthenticatedService,
  origin: Origin,
  input: AckInput,
): Promise<AckOutcome> {
  return prisma.$transaction(async (tx) => {
    const keys = input.applied.map((a) => a.key);
    const switches = await tx.killSwitch.findMany({
      where: { key: { in: keys } },
      select: { key: true, version: true },
    });
    const current = new Map(switches.map((s) => [s.key, s.version]));
    for (const ack of input.applied) {
      const version = current.get(ack.key);
      if (version === undefined) {
        throw new DomainError("ACK_UNKNOWN_SWITCH", `There is no kill switch called "${ack.key}".`, 422);
      }
      if (ack.version > version) {
        throw new DomainError(
          "ACK_VERSION_UNKNOWN",
          `Switch ${ack.key} is at version ${version}; version ${ack.version} was never issued.`,
          422,
        );
      }
    }
    const at = now();
    const advanced: AckOutcome["advanced"] = [];
    for (const ack of input.applied) {
      const [row] = await tx.$queryRaw<{ previous: number | null; applied: number }[]>`
        WITH previous AS (
          SELECT applied_version FROM service_switch_ack
          WHERE service_name = ${service.serviceName} AND instance = ${input.instance} AND switch_key = ${ack.key}
        )
        INSERT INTO service_switch_ack (service_name, instance, switch_key, applied_version, applied_at, reported_at, token_id)
        VALUES (${service.serviceName}, ${input.instance}, ${ack.key}, ${ack.version}, ${at}, ${at}, ${service.tokenId}::uuid)
        ON CONFLICT (service_name, instance, switch_key) DO UPDATE SET
          applied_at = CASE WHEN EXCLUDED.applied_version > service_switch_ack.applied_version
                            THEN EXCLUDED.applied_at ELSE service_switch_ack.applied_at END,
          applied_version = GREATEST(service_switch_ack.applied_version, EXCLUDED.applied_version),
          reported_at = EXCLUDED.reported_at,
          token_id = EXCLUDED.token_id
        RETURNING (SELECT applied_version FROM previous) AS previous, applied_version AS applied`;
      if (row && (row.previous === null || row.applied > row.previous)) {
        advanced.push({ key: ack.key, from: row.previous, to: row.applied });
      }
    }
    if (advanced.length > 0) {
      await appendAuditEvents(
        tx,
        advanced.map((change) => ({
          actor: { kind: "service" as const, id: `service:${service.serviceName}` },
          origin,
          action: "killswitch.service-ack",
          outcome: "SUCCESS" as const,
          targetType: "kill_switch",
          targetId: change.key,
          before: change.from === null ? null : { appliedVersion: change.from },
          after: { appliedVersion: change.to, instance: input.instance, tokenId: service.tokenId },
        })),
      );
    }
    return { recorded: input.applied.length, advanced };
  });
}

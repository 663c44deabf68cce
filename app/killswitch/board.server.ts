// Everything the switch board shows, in one read: each switch with who changed it, when and why, its pending release
// request, which services have picked up its current version; the change history; recent release decisions.
import { prisma } from "~/db.server";
import { SWITCH_KEYS } from "~/killswitch/switch-keys";
import { now } from "~/lib/clock.server";
import { isUuid } from "~/lib/uuid";

export const FIFTEEN_MINUTES = 15 * 60 * 1000;
/** An instance that has not reported for this long is shown as silent and does not count as up to date. */
export const SERVICE_SILENT_AFTER_MS = FIFTEEN_MINUTES;
/**
 * A live instance still on an older version this long after a change is lagging: the board raises an alert, because
 * that service may still be letting through what the switch was engaged to stop. Services poll every few seconds
 * (ADR 007), so 30 s is several missed polls, not a slow one.
 */
export const SERVICE_LAGGING_AFTER_MS = 30_000;
const HISTORY_LENGTH = 50;
const DECISIONS_LENGTH = 20;

export interface PersonRef {
  id: string;
  name: string;
}

async function namesOf(ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => !!id && isUuid(id)))];
  if (unique.length === 0) return new Map();
  const staff = await prisma.staffUser.findMany({
    where: { id: { in: unique } },
    select: { id: true, displayName: true },
  });
  return new Map(staff.map((s) => [s.id, s.displayName]));
}

function person(names: Map<string, string>, id: string | null | undefined): PersonRef | null {
  if (!id) return null;
  if (id.startsWith("system:")) return { id, name: "System (automatic release)" };
  return { id, name: names.get(id) ?? "Unknown staff member" };
}

/** Whether an instance is on the current version, has gone silent, or is lagging (live, behind, well after a change). */
function pickUpState(current: boolean, sinceLastReportMs: number, lateSinceChange: boolean) {
  const silent = sinceLastReportMs > SERVICE_SILENT_AFTER_MS;
  return { current, silent, lagging: !current && !silent && lateSinceChange };
}

export async function loadSwitchBoard() {
  const at = now();
  const [unordered, pending, history, decisions, acks, tokens] = await Promise.all([
    prisma.killSwitch.findMany({ orderBy: { key: "asc" } }),
    prisma.killSwitchReleaseRequest.findMany({ where: { status: "PENDING" } }),
    prisma.killSwitchChange.findMany({ orderBy: { occurredAt: "desc" }, take: HISTORY_LENGTH }),
    prisma.killSwitchReleaseRequest.findMany({
      where: { status: { not: "PENDING" } },
      orderBy: { decidedAt: "desc" },
      take: DECISIONS_LENGTH,
    }),
    prisma.serviceSwitchAck.findMany({ orderBy: [{ serviceName: "asc" }, { instance: "asc" }] }),
    prisma.serviceToken.findMany({ where: { revokedAt: null }, select: { serviceName: true } }),
  ]);
  // The order an incident needs them in: all top-ups first, then each channel, then the sign-in and reset switches.
  const rank = (key: string) => {
    const index = (SWITCH_KEYS as readonly string[]).indexOf(key);
    return index === -1 ? SWITCH_KEYS.length : index;
  };
  const switches = [...unordered].sort((a, b) => rank(a.key) - rank(b.key) || a.key.localeCompare(b.key));
  const [engagements, latestChanges] = await Promise.all([
    prisma.killSwitchChange.findMany({
      where: { kind: "ENGAGE", OR: switches.filter((s) => s.engaged).map((s) => ({ switchKey: s.key })) },
      orderBy: { version: "desc" },
    }),
    prisma.killSwitchChange.findMany({
      where: { OR: switches.map((s) => ({ switchKey: s.key, version: s.version })) },
    }),
  ]);
  const names = await namesOf([
    ...switches.map((s) => s.changedById),
    ...pending.map((p) => p.requestedById),
    ...history.flatMap((h) => [h.actorId, h.approvedById]),
    ...decisions.flatMap((d) => [d.requestedById, d.decidedById]),
    ...engagements.map((e) => e.actorId),
    ...latestChanges.flatMap((c) => [c.actorId, c.approvedById]),
  ]);
  const serviceNames = [...new Set([...tokens.map((t) => t.serviceName), ...acks.map((a) => a.serviceName)])].sort();

  return {
    now: at,
    switches: switches.map((s) => {
      const request = pending.find((p) => p.switchKey === s.key);
      const engagement = s.engaged ? engagements.find((e) => e.switchKey === s.key) : undefined;
      const latest = latestChanges.find((c) => c.switchKey === s.key);
      const lateSinceChange = s.changedAt !== null && at.getTime() - s.changedAt.getTime() > SERVICE_LAGGING_AFTER_MS;
      const services = serviceNames.map((serviceName) => {
        const instances = acks
          .filter((a) => a.serviceName === serviceName && a.switchKey === s.key)
          .map((a) => ({
            instance: a.instance,
            appliedVersion: a.appliedVersion,
            appliedAt: a.appliedAt,
            reportedAt: a.reportedAt,
            ...pickUpState(a.appliedVersion >= s.version, at.getTime() - a.reportedAt.getTime(), lateSinceChange),
          }));
        const live = instances.filter((i) => !i.silent);
        return {
          serviceName,
          instances,
          upToDate: live.length > 0 && live.every((i) => i.current),
          // When the last live instance picked up the current version: the service's pick-up time.
          pickedUpAt:
            live.length > 0 && live.every((i) => i.current)
              ? new Date(Math.max(...live.map((i) => i.appliedAt.getTime())))
              : null,
        };
      });
      return {
        key: s.key,
        label: s.label,
        description: s.description,
        engaged: s.engaged,
        version: s.version,
        changedAt: s.changedAt,
        changedBy: s.changedAt
          ? (person(names, s.changedById) ?? { id: "system", name: "System (automatic release)" })
          : null,
        reason: s.reason,
        releaseAt: s.releaseAt,
        engagedBy: engagement ? person(names, engagement.actorId) : null,
        lastChange: latest
          ? {
              kind: latest.kind,
              occurredAt: latest.occurredAt,
              actor: person(names, latest.actorId),
              approvedBy: person(names, latest.approvedById),
              reason: latest.reason,
            }
          : null,
        pendingRequest: request
          ? {
              id: request.id,
              requestedBy: person(names, request.requestedById)!,
              reason: request.reason,
              requestedAt: request.requestedAt,
              switchVersion: request.switchVersion,
            }
          : null,
        services,
        servicesUpToDate: services.filter((svc) => svc.upToDate).length,
        lagging: services.flatMap((svc) =>
          svc.instances
            .filter((i) => i.lagging)
            .map((i) => ({ serviceName: svc.serviceName, instance: i.instance, appliedVersion: i.appliedVersion })),
        ),
      };
    }),
    history: history.map((h) => ({
      id: h.id,
      switchKey: h.switchKey,
      label: switches.find((s) => s.key === h.switchKey)?.label ?? h.switchKey,
      kind: h.kind,
      engaged: h.engaged,
      version: h.version,
      actor: person(names, h.actorId),
      approvedBy: person(names, h.approvedById),
      reason: h.reason,
      releaseAt: h.releaseAt,
      occurredAt: h.occurredAt,
    })),
    decisions: decisions.map((d) => ({
      id: d.id,
      switchKey: d.switchKey,
      label: switches.find((s) => s.key === d.switchKey)?.label ?? d.switchKey,
      status: d.status,
      requestedBy: person(names, d.requestedById),
      reason: d.reason,
      decidedBy: person(names, d.decidedById),
      decisionReason: d.decisionReason,
      decidedAt: d.decidedAt,
    })),
  };
}

export type SwitchBoard = Awaited<ReturnType<typeof loadSwitchBoard>>;

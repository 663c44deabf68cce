// The dashboard's data as plain JSON (times as ISO strings): the same shape from the page's loader and from every
// live update, so the browser swaps one for the other.
import type { CommandFigures } from "~/incidents/command/figures.server";

export function toDashboardView(figures: CommandFigures) {
  return {
    incident: { ...figures.incident, openedAt: figures.incident.openedAt.toISOString() },
    computedAt: figures.computedAt.toISOString(),
    money: figures.money,
    funnel: figures.funnel,
    switches: figures.switches.map((s) => ({
      ...s,
      changes: s.changes.map((c) => ({ ...c, at: c.at.toISOString() })),
    })),
    jobs: figures.jobs.map((j) => ({ ...j, createdAt: j.createdAt.toISOString() })),
    campaigns: figures.campaigns,
    stores: figures.stores,
    products: figures.products,
  };
}

export type DashboardView = ReturnType<typeof toDashboardView>;

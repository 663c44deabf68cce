// The menu and the pages agree: a menu entry shows to exactly the roles that may open its page (its permission is the
// page's own), and pages without a menu entry are linked from a page the same roles can open. Agents and compliance
// could open /cohorts and an incident's notice delivery page while the menu hid them.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { NAVIGATION } from "~/components/app-shell";

function routeFileOf(to: string): string {
  if (to === "/") return path.join("app", "routes", "_index.tsx");
  const name = to.slice(1).replaceAll("/", ".");
  const index = path.join("app", "routes", `${name}._index.tsx`);
  return existsSync(index) ? index : path.join("app", "routes", `${name}.tsx`);
}

function permissionOf(file: string): string | null {
  return readFileSync(file, "utf8").match(/export const permission(?:: Permission)? = "([^"]+)"/)?.[1] ?? null;
}

describe("menu and page permissions agree", () => {
  it.each(NAVIGATION.map((item) => [item.to, item.permission] as const))(
    "the menu shows %s to holders of %s, the page's own permission",
    (to, permission) => {
      expect(permissionOf(routeFileOf(to))).toBe(permission);
    },
  );

  it("an incident's notice delivery page is linked from the incident page, which the same roles can open", () => {
    const incident = path.join("app", "routes", "incidents.$incidentId.tsx");
    const delivery = path.join("app", "routes", "notifications.incidents.$incidentId.tsx");
    expect(permissionOf(delivery)).toBe(permissionOf(incident));
    expect(readFileSync(incident, "utf8")).toContain("to: `/notifications/incidents/${incident.id}`");
  });

  it("a saved cohort is linked from the incident page and readable by the same roles", () => {
    const incident = path.join("app", "routes", "incidents.$incidentId.tsx");
    expect(permissionOf(path.join("app", "routes", "cohorts.$cohortId.tsx"))).toBe(permissionOf(incident));
  });
});

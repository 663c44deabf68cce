import { prisma } from "~/db.server";

/** The switches a containment policy may engage. */
export async function listKillSwitchKeys(): Promise<string[]> {
  const rows = await prisma.killSwitch.findMany({ select: { key: true }, orderBy: { key: "asc" } });
  return rows.map((r) => r.key);
}

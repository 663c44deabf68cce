// Among namesakes, the caller search lists customers whose incident case is still open first (during an incident they
// are most of the callers), for a name typed correctly and for one typed with one wrong kana, and says so on each row;
// exact matches still come before typo matches, closed cases change nothing, and every namesake stays reachable once.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { PAGE_SIZE } from "~/accounts/search.server";
import { prisma } from "~/db.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.21");
const run = randomUUID().slice(0, 6);

// Rare names, so that other customers in the database never rank among ours.
const NAME = "轟 鉄之丞";
const KANA = "トドロキ テツノジョウ";
const NAMESAKES = PAGE_SIZE + 5;

const makeCustomer = (name: string, nameKana: string, birthDate: string) =>
  createNamedCustomer("open-case", name, nameKana, birthDate);

let victimId: string;
let closedId: string;
let oldestId: string;

beforeAll(async () => {
  const namesakes = [];
  // Born 1950, 1951, …: ordered by birth date, the last one is on page 2.
  for (let i = 0; i < NAMESAKES; i++) {
    namesakes.push(await makeCustomer(NAME, KANA, `${1950 + i}-06-15`));
  }
  oldestId = namesakes[0]!.id;
  victimId = namesakes.at(-1)!.id;
  closedId = namesakes.at(-2)!.id;
  const incident = await prisma.incident.create({
    data: { code: `INC-OC-${run}`, title: "Open-case ordering", summary: "test", openedAt: new Date() },
  });
  await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: victimId, status: "CONTAINED" } });
  await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: closedId, status: "CLOSED" } });
});

describe("open incident case first among namesakes", () => {
  it("puts the namesake with an open case first and says why; a closed case changes nothing", async () => {
    const page = searchResults(await searchForCaller(ctx, NAME));
    expect(page.total).toBe(NAMESAKES);
    expect(page.hits[0]).toMatchObject({ id: victimId, matchedBy: "name", openCaseFirst: true });
    expect(page.hits[1]).toMatchObject({ id: oldestId, openCaseFirst: false });
    expect(page.hits.filter((hit) => hit.openCaseFirst)).toHaveLength(1);
    expect(page.hits.map((hit) => hit.id)).not.toContain(closedId);
  });

  it("lists every namesake exactly once across the pages", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pageNumber = 1; pageNumber <= 5; pageNumber++) {
      const page = searchResults(await searchForCaller(ctx, KANA, { cursor, page: pageNumber }));
      expect(page.total).toBe(NAMESAKES);
      seen.push(...page.hits.map((hit) => hit.id));
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(NAMESAKES);
    expect(new Set(seen).size).toBe(NAMESAKES);
    expect(seen[0]).toBe(victimId);
    expect(seen.at(-1)).toBe(closedId);
  });

  it("does the same for a name with one wrong kana", async () => {
    // テツノジョウ → テツノジヨウ: a large kana where a small one was meant.
    const page = searchResults(await searchForCaller(ctx, "とどろき てつのじよう"));
    expect(page.total).toBe(NAMESAKES);
    expect(page.hits[0]).toMatchObject({ id: victimId, matchedBy: "similarName", openCaseFirst: true });
    expect(page.hits.slice(1).every((hit) => hit.matchedBy === "similarName" && !hit.openCaseFirst)).toBe(true);
  });

  it("keeps exact matches before typo matches, even a typo match with an open case", async () => {
    // A customer whose name is exactly what was typed: the one-typo namesakes (the open case among them) do not show.
    const exact = await makeCustomer("轟 鉄之条", "トドロキ テツノジヨウ", "1990-01-01");
    const page = searchResults(await searchForCaller(ctx, "とどろき てつのじよう"));
    expect(page.hits.map((hit) => hit.id)).toEqual([exact.id]);
    expect(page.hits[0]).toMatchObject({ matchedBy: "reading", openCaseFirst: false });
    await prisma.customer.delete({ where: { id: exact.id } });
  });

  it("orders a narrow search's equally good matches the same way", async () => {
    // Four namesakes born the same day: name + birth date matches each equally well; the one with a case leads.
    const twins = [];
    for (let i = 0; i < 4; i++) twins.push(await makeCustomer("轟 鉄之助", "トドロキ テツノスケ", "1949-02-02"));
    const incident = await prisma.incident.findUniqueOrThrow({ where: { code: `INC-OC-${run}` } });
    const victim = [...twins].sort((a, b) => (a.id < b.id ? 1 : -1))[0]!; // the last by id: never first by accident
    await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: victim.id } });
    const page = searchResults(await searchForCaller(ctx, "轟 鉄之助 1949-02-02"));
    expect(page.hits).toHaveLength(4);
    expect(page.hits[0]).toMatchObject({ id: victim.id, matchedBy: "name", openCaseFirst: true });
    expect(page.hits.slice(1).every((hit) => !hit.openCaseFirst)).toBe(true);
  });
});

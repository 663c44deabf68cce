// A display ID read out in two groups ("0123 4567") is also two phones' and two cards' last four: at a million
// customers, a few hundred candidates, of whom one or two match both facts. The database keeps only those who were
// found through every fact when anyone was (search-narrow.server.ts), so the page comes in one statement; when nobody
// was, every candidate is a closest match, as before.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { parseSearchQuery } from "~/accounts/search-query.server";
import { findCandidates } from "~/accounts/search-narrow.server";
import { matchesEveryFact, rankCandidates } from "~/accounts/search-plan";
import { PAGE_SIZE, searchCustomers } from "~/accounts/search.server";
import { database, prisma } from "~/db.server";
import { countingStatements } from "../support/search-fixtures";

const fourDigits = () => String(Math.floor(Math.random() * 10_000)).padStart(4, "0");
// Distinct groups, so that one group's customers are never found through the other by chance.
const [first, second, unheld] = (() => {
  const groups = new Set<string>();
  while (groups.size < 3) groups.add(fourDigits());
  return [...groups] as [string, string, string];
})();
const SHARING_THE_FIRST_GROUP = PAGE_SIZE + 5;

async function customer(displayId: string, phone: string) {
  const run = randomUUID().slice(0, 8);
  return prisma.customer.create({
    data: {
      displayId,
      name: "二組 番号",
      nameKana: "フタクミ バンゴウ",
      email: `two-groups-${run}@groups.example`,
      phone,
      birthDate: new Date("1980-01-01"),
    },
  });
}

const phoneEndingIn = (last4: string) => `+8180${String(Math.floor(Math.random() * 1e4)).padStart(4, "0")}${last4}`;

async function search(query: string, sql: Parameters<typeof searchCustomers>[0] = database.sql) {
  const parsed = parseSearchQuery(query);
  if (!parsed.ok) throw new Error(`refused: ${parsed.message}`);
  return searchCustomers(sql, parsed.terms);
}

let holder: Awaited<ReturnType<typeof customer>>;
let coincidence: Awaited<ReturnType<typeof customer>>;

beforeAll(async () => {
  holder = await customer(`W-${first}${second}`, phoneEndingIn(fourDigits()));
  // Matches both facts another way: a phone ending in the first group, a card ending in the second.
  coincidence = await customer(`W-${randomUUID().slice(0, 8)}`, phoneEndingIn(first));
  await prisma.fundingSource.create({
    data: { customerId: coincidence.id, kind: "CREDIT_CARD", brand: "VISA", last4: second, addedAt: new Date() },
  });
  // More than a page of customers whose phone ends in the first group only.
  for (let i = 0; i < SHARING_THE_FIRST_GROUP; i++) {
    await customer(`W-${randomUUID().slice(0, 8)}`, phoneEndingIn(first));
  }
});

describe("a search without a name whose every fact is a lookup", () => {
  it("lists those found through every fact, with what the list shows of them, in one statement", async () => {
    const counting = countingStatements();
    const page = await search(`${first} ${second}`, counting);
    expect(page.allFactsMatched).toBe(true);
    expect(new Set(page.hits.map((hit) => hit.id))).toEqual(new Set([holder.id, coincidence.id]));
    expect(page.total).toBe(2);
    expect(page.hits.find((hit) => hit.id === holder.id)).toMatchObject({
      displayId: holder.displayId,
      matched: ["displayId", "displayId"],
    });
    // Without the database's cut, the page's details took a statement of their own (the candidates were a page and
    // more, so they came without them).
    expect(counting.statements).toBe(1);
  });

  it("lists every closest match when nobody matches both facts", async () => {
    const page = await search(`${first} ${unheld}`);
    expect(page.allFactsMatched).toBe(false);
    // Everyone whose phone ends in the first group: the page and more, all of them reachable.
    expect(page.total).toBeGreaterThanOrEqual(SHARING_THE_FIRST_GROUP + 1);
    expect(page.hits).toHaveLength(PAGE_SIZE);
    expect(page.nextCursor).not.toBeNull();
  });

  it.each([
    ["both groups", () => `${first} ${second}`],
    ["one group held", () => `${first} ${unheld}`],
    ["a group and a phone", () => `${first} ${second} ${holder.phone}`],
  ])("keeps exactly the customers the ranking finds matching every fact (%s)", async (_label, query) => {
    const parsed = parseSearchQuery(query());
    if (!parsed.ok) throw new Error(`refused: ${parsed.message}`);
    const complete = async (everyCandidate: boolean) =>
      rankCandidates(parsed.terms, await findCandidates(database.sql, parsed.terms, [], { everyCandidate }))
        .filter(matchesEveryFact)
        .map((entry) => entry.candidate.id)
        .sort();
    expect(await complete(false)).toEqual(await complete(true));
  });
});

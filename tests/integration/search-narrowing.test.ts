// The caller search as an agent narrows a call: a common name plus one more fact puts the caller first, ranking
// prefers the better match, every namesake is reachable page after page, one wrong kana still finds the caller, a
// misheard number still lists the namesakes, and a statement that runs too long answers "narrow your search".
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { searchForCaller, withSearchTimeout, type CallerSearchResult } from "~/accounts/caller-search.server";
import { database, prisma } from "~/db.server";

const agent: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
const ctx = { actor: agent, origin: { ip: "198.51.100.21", userAgent: "vitest", requestId: `req-${randomUUID()}` } };

// A family name no other test file uses, shared by 45 customers: more than two pages.
const FAMILY = "鰐淵";
const FAMILY_KANA = "ワニブチ";
const GIVEN = [
  ["翔太", "ショウタ"],
  ["さくら", "サクラ"],
  ["健一", "ケンイチ"],
] as const;
const NAMESAKES = 45;

let caller: { id: string };
let cardHolder: { id: string };
const made: string[] = [];
const run = randomUUID().slice(0, 8);

function results(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

async function makeCustomer(i: number, overrides: { phone?: string; birthDate?: string; given?: number } = {}) {
  const [given, givenKana] = GIVEN[overrides.given ?? i % GIVEN.length]!;
  const customer = await prisma.customer.create({
    data: {
      displayId: `N-${randomUUID().slice(0, 8)}`,
      name: `${FAMILY} ${given}`,
      nameKana: `${FAMILY_KANA} ${givenKana}`,
      email: `wani.${run}.${i}@narrow.example`,
      phone: overrides.phone ?? `+8180${String(10_000_000 + i * 7919).slice(-8)}`,
      birthDate: new Date(overrides.birthDate ?? `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}`),
    },
  });
  made.push(customer.id);
  return customer;
}

beforeAll(async () => {
  for (let i = 0; i < NAMESAKES; i++) await makeCustomer(i);
  caller = await makeCustomer(100, { phone: "+819055501234", birthDate: "1985-04-01", given: 0 });
  cardHolder = await makeCustomer(101, { birthDate: "1972-02-02", given: 1 });
  await prisma.fundingSource.create({
    data: { customerId: cardHolder.id, kind: "CREDIT_CARD", brand: "VISA", last4: "4242", addedAt: new Date() },
  });
});

describe("name plus one more fact puts the caller first", () => {
  it.each([
    ["kanji + phone last 4", `${FAMILY} 1234`],
    ["kana + phone last 4", "わにぶち 1234"],
    ["full-width", "鰐淵　１２３４"],
    ["full name + birth date", `${FAMILY} 翔太 1985-04-01`],
    ["reading + era birth date", "ワニブチ ショウタ 昭和60年4月1日"],
    ["full name + birth year", `${FAMILY}翔太 1985`],
    ["email local part", `wani.${run}.100@`],
  ])("%s", async (_label, typed) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(found.hits[0]!.id).toBe(caller.id);
    expect(found.allFactsMatched).toBe(true);
  });

  it("a card's last four finds its holder among the namesakes", async () => {
    const found = results(await searchForCaller(ctx, `${FAMILY} 4242`));
    expect(found.hits.map((h) => h.id)).toEqual([cardHolder.id]);
    expect(found.hits[0]!.matched).toEqual(["familyName", "cardLast4"]);
  });
});

describe("ranking", () => {
  it("exact full name before the exact reading before the family name", async () => {
    const found = results(await searchForCaller(ctx, `${FAMILY} 翔太 1985`));
    expect(found.hits[0]).toMatchObject({ id: caller.id, matchedBy: "name" });
    const byReading = results(await searchForCaller(ctx, "わにぶち しょうた 1985"));
    expect(byReading.hits[0]).toMatchObject({ id: caller.id, matchedBy: "reading" });
  });

  it("a family name alone: every namesake counted, and the agent told which fact to ask for", async () => {
    const found = results(await searchForCaller(ctx, FAMILY));
    expect(found.total).toBe(NAMESAKES + 2);
    expect(found.nextFact).toBe("birthDate");
    expect(found.hits.every((h) => h.matchedBy === "familyName")).toBe(true);
  });
});

describe("every match is reachable, page after page", () => {
  it("walks all namesakes by keyset links without a repeat or a gap", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let page = 1;
    do {
      const found = results(await searchForCaller(ctx, FAMILY, { cursor: after, page }));
      seen.push(...found.hits.map((h) => h.id));
      after = found.nextCursor;
      page += 1;
    } while (after && page < 20);
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(made));
  });

  it("a page link that was not made by the search is refused with a message", async () => {
    const refused = await searchForCaller(ctx, FAMILY, { cursor: "not-a-cursor!", page: 2 });
    expect(refused).toMatchObject({ kind: "refused", message: expect.stringMatching(/not valid/) });
    // Well-formed tokens whose values do not fit the branch they name: refused the same way, never sent to SQL.
    for (const position of [
      { b: 2, v: ["x'; DROP TABLE customer; --", randomUUID()] },
      { b: 2, v: ["1985-04-01", "not-a-uuid"] },
      { b: 2, v: ["1985-02-31x", randomUUID()] },
      { b: 2, v: ["1985-02-31", randomUUID()] },
      { b: 7, v: ["only one"] },
      { b: 99, v: ["1985-04-01", randomUUID()] },
    ]) {
      const forged = Buffer.from(JSON.stringify(position)).toString("base64url");
      expect(await searchForCaller(ctx, FAMILY, { cursor: forged, page: 2 })).toMatchObject({ kind: "refused" });
    }
  });
});

describe("typos and misheard facts", () => {
  it.each([
    ["one kana substituted", "ワニブチ ショウダ 1985-04-01"],
    ["one kana substituted, name only", "ワニブチショウダ"],
    ["one kana dropped in the family name", "ワブチ ショウタ 1985"],
  ])("%s", async (_label, typed) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(found.hits.map((h) => h.id)).toContain(caller.id);
    expect(found.hits.find((h) => h.id === caller.id)!.matchedBy).toBe("similarName");
  });

  it("a misheard last four lists the namesakes, marked as not matching everything", async () => {
    const found = results(await searchForCaller(ctx, `${FAMILY} 翔太 9998`));
    expect(found.allFactsMatched).toBe(false);
    expect(found.hits[0]!.matchedBy).toBe("name");
    expect(found.hits.map((h) => h.id)).toContain(caller.id);
  });
});

describe("bounded database time", () => {
  it.skipIf(database.mode !== "postgresql")(
    "a statement over the timeout answers 'timeout', not an error",
    async () => {
      const outcome = await withSearchTimeout(async (sql) => {
        await sql.query("SELECT pg_sleep(1)");
        return "finished";
      }, 50);
      expect(outcome).toBe("timeout");
    },
  );

  it("the search transaction is read-only", async () => {
    await expect(
      withSearchTimeout((sql) => sql.query("UPDATE customer SET status = status WHERE false")),
    ).rejects.toThrow(/read-only/);
  });
});

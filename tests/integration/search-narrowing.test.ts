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

describe("a name and a birth year shared by more than a page", () => {
  // Another family name, so the counts above stay as they are: 24 born in 1977 (one with an open incident case, one
  // whose phone also ends in 1977), one born in 1978 whose phone ends in 1977, and one born in 1976.
  const YEAR_FAMILY = "蜂須賀";
  const people: { id: string; birthDate: string; phone: string; given: string }[] = [];
  let openCase = "";

  beforeAll(async () => {
    const rows = [
      ...Array.from({ length: 24 }, (_, i) => ({
        birthDate: `1977-${String(1 + (i % 12)).padStart(2, "0")}-1${i % 9}`,
      })),
      { birthDate: "1978-05-05", phoneEnd: "1977" },
      { birthDate: "1976-05-05" },
    ];
    for (const [i, row] of rows.entries()) {
      const given = i === 0 ? "翔太" : "さくら";
      const phoneEnd = "phoneEnd" in row ? row.phoneEnd : i === 5 ? "1977" : String(3000 + i);
      const customer = await prisma.customer.create({
        data: {
          displayId: `Y-${randomUUID().slice(0, 8)}`,
          name: `${YEAR_FAMILY} ${given}`,
          nameKana: `ハチスカ ${given === "翔太" ? "ショウタ" : "サクラ"}`,
          email: `hachi.${run}.${i}@narrow.example`,
          phone: `+8180${String(1000 + i).padStart(4, "0")}${phoneEnd}`,
          birthDate: new Date(row.birthDate),
        },
      });
      people.push({ id: customer.id, birthDate: row.birthDate, phone: customer.phone, given });
    }
    openCase = people[9]!.id;
    const incident = await prisma.incident.create({
      data: { code: `INC-NY-${run}`, title: "name and year", summary: "open case first", openedAt: new Date() },
    });
    await prisma.incidentCase.create({ data: { incidentId: incident.id, customerId: openCase } });
  });

  it("lists every one in rank order across pages, each once, with the exact count", async () => {
    const seen: CallerSearchResult[] = [];
    let after: string | null = null;
    let page = 1;
    do {
      const found = results(await searchForCaller(ctx, `${YEAR_FAMILY} 1977`, { cursor: after, page }));
      seen.push(found);
      after = found.nextCursor;
      page += 1;
    } while (after && page < 10);
    const hits = seen.flatMap((found) => results(found).hits);
    // Born in 1977 (24) and the one born in 1978 whose phone ends in 1977; not the one born in 1976.
    expect(results(seen[0]!).total).toBe(25);
    expect(seen).toHaveLength(2);
    expect(hits.map((h) => h.id).sort()).toEqual(
      people
        .slice(0, 25)
        .map((p) => p.id)
        .sort(),
    );
    // The open case first among equal matches, then by birth date and id, as the narrow ranking orders them.
    expect(hits[0]!).toMatchObject({ id: openCase, openCaseFirst: true });
    const rest = hits.slice(1).map((h) => people.find((p) => p.id === h.id)!);
    const sorted = [...rest].sort((a, b) =>
      a.birthDate === b.birthDate ? (a.id < b.id ? -1 : 1) : a.birthDate < b.birthDate ? -1 : 1,
    );
    expect(rest.map((p) => p.id)).toEqual(sorted.map((p) => p.id));
    expect(hits.find((h) => h.id === people[24]!.id)!.matched).toEqual(["familyName", "phoneLast4"]);
    expect(hits.find((h) => h.id === people[5]!.id)!.matched).toEqual(["familyName", "phoneLast4"]);
    expect(hits.find((h) => h.id === people[6]!.id)!.matched).toEqual(["familyName", "birthYear"]);
  });

  it("the full name and the year put the caller first, as its exact name", async () => {
    const found = results(await searchForCaller(ctx, `${YEAR_FAMILY} 翔太 1977`));
    expect(found.hits.map((h) => h.id)).toEqual([people[0]!.id]);
    expect(found.hits[0]!).toMatchObject({ matchedBy: "name", matched: ["name", "birthYear"] });
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

  // One wrong kana is found through the names' one-deletion variants (search_name_variant), which triggers on
  // customer keep: a name changed after the customer was created, and customers written with ordinary triggers off
  // (the replay's bulk loader runs with session_replication_role = replica), are found like any other.
  it("one wrong kana finds a customer under the name it was changed to", async () => {
    const renamed = await prisma.customer.create({
      data: {
        displayId: `N-${randomUUID().slice(0, 8)}`,
        name: "蒲生田 一郎",
        nameKana: "ガモウダ イチロウ",
        email: `gamouda.${run}@narrow.example`,
        phone: "+819055506666",
        birthDate: new Date("1990-03-03"),
      },
    });
    await prisma.customer.update({
      where: { id: renamed.id },
      data: { name: "鵜飼野 光秀", nameKana: "ウカイノ ミツヒデ" },
    });
    const found = results(await searchForCaller(ctx, "ウカイノ ミツヒテ"));
    expect(found.hits.map((h) => [h.id, h.matchedBy])).toEqual([[renamed.id, "similarName"]]);
  });

  it("one wrong kana finds a customer written with ordinary triggers off", async () => {
    const id = randomUUID();
    await database.sqlTransaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await tx.query(
        `INSERT INTO customer (id, display_id, name, name_kana, email, phone, birth_date)
         VALUES ($1::uuid, $2, '蛭子屋 蘭丸', 'エビスヤ ランマル', $3, '+819055507777', '1977-07-07')`,
        [id, `N-${id.slice(0, 8)}`, `ebisuya.${run}@narrow.example`],
      );
    });
    const found = results(await searchForCaller(ctx, "エビスヤ ランマレ"));
    expect(found.hits.map((h) => [h.id, h.matchedBy])).toEqual([[id, "similarName"]]);
  });

  it("lists the neighbour one vowel away before an unrelated kana's namesakes", async () => {
    // "マシト" typed for マサト: 22 マコト born the same year would fill page 1 in code-point order (コ before サ).
    const person = (given: string, givenKana: string, i: number) =>
      prisma.customer.create({
        data: {
          displayId: `N-${randomUUID().slice(0, 8)}`,
          name: `蛸薬師 ${given}`,
          nameKana: `タコヤクシ ${givenKana}`,
          email: `tako.${run}.${given}.${i}@narrow.example`,
          phone: `+8170${String(20_000_000 + i * 7907).slice(-8)}`,
          birthDate: new Date(`1985-0${1 + (i % 9)}-1${i % 9}`),
        },
      });
    for (let i = 0; i < 22; i++) made.push((await person("誠", "マコト", i)).id);
    const meant = await person("正人", "マサト", 30);
    made.push(meant.id);
    const found = results(await searchForCaller(ctx, "タコヤクシ マシト 1985"));
    expect(found.total).toBe(23);
    expect(found.hits[0]!).toMatchObject({ id: meant.id, matchedBy: "similarName" });
    // The name alone is read branch by branch in the index's order: the likelier neighbour's branch comes first.
    const alone = results(await searchForCaller(ctx, "タコヤクシ マシト"));
    expect(alone.hits[0]!).toMatchObject({ id: meant.id, matchedBy: "similarName" });
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

  it.skipIf(database.mode !== "postgresql")(
    "the search's statements use their generic plans, planned once per connection, and are never JIT-compiled",
    async () => {
      const outcome = await withSearchTimeout(async (sql) => (await sql.query("SHOW plan_cache_mode")).rows);
      expect(outcome).toEqual([{ plan_cache_mode: "force_generic_plan" }]);
      // A generic plan's estimates can pass jit_above_cost for a bounded read: compiling cost 40 ms of a 45 ms search.
      expect(await withSearchTimeout(async (sql) => (await sql.query("SHOW jit")).rows)).toEqual([{ jit: "off" }]);
      // Only the search's own connections: the console's other statements keep PostgreSQL's default.
      expect((await database.sql.query("SHOW plan_cache_mode")).rows).toEqual([{ plan_cache_mode: "auto" }]);
    },
  );

  it("the search's statements are read-only", async () => {
    await expect(
      withSearchTimeout((sql) => sql.query("UPDATE customer SET status = status WHERE false")),
    ).rejects.toThrow(/read-only/);
  });
});

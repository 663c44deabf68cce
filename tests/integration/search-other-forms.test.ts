// The caller search when the name as typed matches nobody and several of its forms are held ("yuge": ユゲ and ユウゲ),
// when a name registered in an old-form kanji is said in its modern form (髙嶋 said as 高島), and when an email's
// domain was misheard or mistyped (the local part is tried with any domain). The page says what was searched.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { searchForCaller, type CallerSearchResult } from "~/accounts/caller-search.server";
import { parseSearchQuery } from "~/accounts/search-query.server";
import { searchCustomers } from "~/accounts/search.server";
import { database, prisma } from "~/db.server";

const agent: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
const ctx = { actor: agent, origin: { ip: "198.51.100.23", userAgent: "vitest", requestId: `req-${randomUUID()}` } };
const eightDigits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, "0");

function results(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

async function makeCustomer(
  name: string,
  nameKana: string,
  birthDate: string,
  options: { phone?: string; email?: string } = {},
) {
  return prisma.customer.create({
    data: {
      displayId: `W-${eightDigits()}`,
      name,
      nameKana,
      email: options.email ?? `forms-${randomUUID().slice(0, 8)}@forms.example`,
      phone: options.phone ?? `+8170${eightDigits()}`,
      birthDate: new Date(birthDate),
    },
  });
}

// Rare names no other test file uses.
let yuge: Awaited<ReturnType<typeof makeCustomer>>;
let yuuge: Awaited<ReturnType<typeof makeCustomer>>;
let oldTakashima: Awaited<ReturnType<typeof makeCustomer>>;
let modernTakashima: Awaited<ReturnType<typeof makeCustomer>>;
let ooshima: Awaited<ReturnType<typeof makeCustomer>>;
let uesugiNagi: Awaited<ReturnType<typeof makeCustomer>>;
let uesugiOther: Awaited<ReturnType<typeof makeCustomer>>;
let saitoNagi: Awaited<ReturnType<typeof makeCustomer>>;
let saitoVariantNagi: Awaited<ReturnType<typeof makeCustomer>>;
const local = `yuge.rin${eightDigits().slice(0, 4)}`;

beforeAll(async () => {
  yuge = await makeCustomer("弓削 凛", "ユゲ リン", "1985-04-01", {
    email: `${local}@ezweb.ne.jp.example`,
    phone: "+819011113579",
  });
  yuuge = await makeCustomer("遊毛 凛", "ユウゲ リン", "1991-09-09");
  // Registered in the old form; a namesake in the modern form with another phone.
  oldTakashima = await makeCustomer("髙嶋 紬", "タカシマ ツムギ", "1979-03-03", { phone: "+819055502468" });
  modernTakashima = await makeCustomer("高島 紬", "タカシマ ツムギ", "1988-08-08");
  ooshima = await makeCustomer("大嶋 柚葉", "オオシマ ユズハ", "1993-01-01");
  // "凪 上杉 1977": the name typed given name first is one kanji from the family name 上杉 (a one-typo likeness).
  uesugiNagi = await makeCustomer("上杉 凪", "ウエスギ ナギ", "1977-07-07");
  uesugiOther = await makeCustomer("上杉 湊", "ウエスギ ミナト", "1977-11-11");
  // 斉藤 and 斎藤: both held; the one the caller said comes first.
  saitoVariantNagi = await makeCustomer("斎藤 凪", "サイトウ ナギ", "1966-01-01");
  saitoNagi = await makeCustomer("斉藤 凪", "サイトウ ナギ", "1966-12-31");
});

describe("several held forms of a name are searched together", () => {
  it("romaji with a long vowel or not: both readings, and the page names both", async () => {
    const found = results(await searchForCaller(ctx, "Yuge Rin"));
    expect(found.searchedAs).toEqual(["ユゲ リン", "ユウゲ リン"]);
    expect(found.hits.map((hit) => hit.id)).toEqual([yuge.id, yuuge.id]);
  });

  it("with a birth date, only the form whose holder matches it is named", async () => {
    const found = results(await searchForCaller(ctx, "yuge rin 1991-09-09"));
    expect(found.hits.map((hit) => hit.id)).toEqual([yuuge.id]);
    expect(found.searchedAs).toEqual(["ユウゲ リン"]);
    expect(found.allFactsMatched).toBe(true);
  });

  it("every page link finds the same forms again", async () => {
    const found = results(await searchForCaller(ctx, "yuge rin"));
    expect(found.nextCursor).toBeNull();
    expect(found.total).toBe(2);
  });
});

describe("other forms of a name with a fact", () => {
  it("an exact match in another order beats a one-typo likeness of the order typed", async () => {
    const found = results(await searchForCaller(ctx, "凪 上杉 1977"));
    expect(found.hits[0]?.id).toBe(uesugiNagi.id);
    expect(found.searchedAs).toEqual(["上杉 凪"]);
    // The family name's other holder born that year was only a likeness of the name as typed: not listed.
    expect(found.hits.map((hit) => hit.id)).not.toContain(uesugiOther.id);
  });

  it("the fallback to another order does not ask the database again what it already answered", async () => {
    // "凪 上杉 1977": the year is also read as a phone's and a card's last four; those candidates do not depend on the
    // name, and the plan for the name as typed, then for 上杉 凪, both need them. Each statement is sent once.
    const parsed = parseSearchQuery("凪 上杉 1977");
    if (!parsed.ok) throw new Error("query refused");
    const sent: string[] = [];
    const recording = {
      query: ((text: string, params?: unknown[], options?: object) => {
        sent.push(`${text}\u0000${JSON.stringify(params)}`);
        return database.sql.query(text, params, options);
      }) as typeof database.sql.query,
    };
    const page = await searchCustomers(recording, parsed.terms);
    expect(page.hits[0]?.id).toBe(uesugiNagi.id);
    expect(page.searchedAs).toEqual(["上杉 凪"]);
    expect(new Set(sent).size).toBe(sent.length);
    // The last-four candidates are read once, for the name and its other order together (ADR 110): the candidates,
    // the name as typed born that year, which forms are held, 上杉 凪 born that year.
    expect(sent).toHaveLength(4);
  });

  it("the form as said ranks before its kanji variant, whatever the birth dates", async () => {
    const found = results(await searchForCaller(ctx, "凪 斉藤 1966"));
    expect(found.hits.slice(0, 2).map((hit) => hit.id)).toEqual([saitoNagi.id, saitoVariantNagi.id]);
    expect(found.searchedAs).toEqual(["斉藤 凪", "斎藤 凪"]);
  });
});

describe("a name registered in an old-form kanji, said in its modern form", () => {
  it("with the caller's phone digits: the old form is found although the modern form has a namesake", async () => {
    const found = results(await searchForCaller(ctx, "高島 紬 2468"));
    expect(found.hits.map((hit) => hit.id)).toEqual([oldTakashima.id]);
    expect(found.searchedAs).toEqual(["髙嶋 紬"]);
    expect(found.allFactsMatched).toBe(true);
  });

  it("the modern form's own holder still comes first, then the old form's (ADR 086)", async () => {
    const found = results(await searchForCaller(ctx, "高島 紬"));
    expect(found.searchedAs).toEqual([]);
    expect(found.hits.map((hit) => hit.id)).toEqual([modernTakashima.id, oldTakashima.id]);
  });

  it("a name nobody holds in its modern form finds the old form", async () => {
    const found = results(await searchForCaller(ctx, "大島 柚葉"));
    expect(found.searchedAs).toEqual(["大嶋 柚葉"]);
    expect(found.hits.map((hit) => hit.id)).toEqual([ooshima.id]);
  });
});

describe("an email with a misheard or mistyped domain", () => {
  it.each([
    ["a mistyped domain", `${local}@gmial.com`],
    ["another carrier", `${local}@docomo.ne.jp`],
    ["the carrier without the seed's suffix", `${local}@ezweb.ne.jp`],
  ])("%s: found by its local part, and the page says so", async (_label, typed) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(found.hits.map((hit) => hit.id)).toEqual([yuge.id]);
    expect(found.emailRetriedAs).toBe(local);
  });

  it("with the name too: found when the name matches", async () => {
    const found = results(await searchForCaller(ctx, `弓削 凛 ${local}@gmial.com`));
    expect(found.hits.map((hit) => hit.id)).toEqual([yuge.id]);
    expect(found.emailRetriedAs).toBe(local);
  });

  it("an email that matches is not retried", async () => {
    const found = results(await searchForCaller(ctx, `${local}@ezweb.ne.jp.example`));
    expect(found.hits.map((hit) => hit.id)).toEqual([yuge.id]);
    expect(found.emailRetriedAs).toBeNull();
  });
});

describe("the caller's words as round three read them", () => {
  it.each([
    ["a phone number spoken in kanji", "〇九〇 一一一一 三五七九"],
    ["a birth date in kanji numerals", "弓削 凛 昭和六十年四月一日"],
    ["a birth year with its month", "弓削 凛 1985年4月"],
    ["an honorific and an address", "弓削凛くん 東京都新宿区西新宿"],
    ["the phone's country code typed as 0081", "0081-90-1111-3579"],
    ["an email read out with “at”", `${local} at ezweb.ne.jp.example`],
    ["a birth date read out as three numbers", "弓削 凛 1985 4 1"],
  ])("%s: %s finds the caller first", async (_label, typed) => {
    const found = results(await searchForCaller(ctx, typed));
    expect(found.hits[0]?.id).toBe(yuge.id);
  });

  it("a display ID read in two groups with hyphens finds the caller", async () => {
    const grouped = `${yuge.displayId.slice(0, 6)}-${yuge.displayId.slice(6)}`;
    expect(results(await searchForCaller(ctx, grouped)).hits.map((hit) => hit.id)).toEqual([yuge.id]);
  });
});

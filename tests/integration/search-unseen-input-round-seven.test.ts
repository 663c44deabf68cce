// The caller search on round seven of unseen input (ADR 121), against the database: what round six left (an era
// initial with six digits, a birth date said in pairs of kana digits, カナ before a reading, a carrier's mail) and the
// outside tester's forms (a label typed with a slip, 生 after a short date, +81 before a number in brackets) — each
// puts the caller on the first page under the name as typed; a carrier's mail is named with the domains to ask about,
// never searched.
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller } from "~/accounts/caller-search.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.121");

const makeCustomer = (birthDate: string) => createNamedCustomer("unseen7", "雫石 遥", "シズクイシ ハルカ", birthDate);

// A family name no other test file uses: the caller, and a namesake born five years later.
let caller: Awaited<ReturnType<typeof makeCustomer>>;
let namesake: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  caller = await makeCustomer("1985-03-12");
  namesake = await makeCustomer("1990-01-05");
});

const ids = (found: { hits: { id: string }[] }) => found.hits.map((hit) => hit.id);
// The caller's mobile number as "+81 (70) 1234-5678".
const bracketedPhone = () => `+81 (${caller.phone.slice(3, 5)}) ${caller.phone.slice(5, 9)}-${caller.phone.slice(9)}`;

describe("the caller's facts in the forms round six left and the outside tester tried, each finding the caller only", () => {
  const phrases: [string, () => string][] = [
    ["an era initial with six digits", () => "雫石 S600312"],
    ["a birth date said in pairs of kana digits", () => "雫石 ハチゴー ゼロサン イチニ"],
    ["カナ before the reading", () => "カナ シズクイシ ハルカ 1985"],
    ["a label typed with a slip", () => "指名：雫石遥 1985"],
    ["生 after a slashed date with a two-digit year", () => "雫石 85/03/12生"],
    ["+81 before the number in brackets", () => `雫石 遥 ${bracketedPhone()}`],
    ["a middle dot between the numbers of a date", () => "雫石 S60・3・12"],
    ["the script said in brackets after the reading", () => "シズクイシ ハルカ（カナ） 1985"],
  ];
  it.each(phrases)("%s", async (_form, phrase) => {
    const found = searchResults(await searchForCaller(ctx, phrase()));
    expect(ids(found)).toEqual([caller.id]);
    expect(found.notUnderstood).toEqual([]);
    expect(found.searchedAs).toEqual([]);
  });
});

describe("a carrier's mail", () => {
  it("auメール lists both namesakes and names the word with the domains to ask about", async () => {
    const found = searchResults(await searchForCaller(ctx, "雫石 遥 auメール"));
    expect(ids(found).sort()).toEqual([caller.id, namesake.id].sort());
    expect(found.kinds).toEqual(["name"]);
    expect(found.notUnderstood).toEqual([{ text: "auメール", kind: "carrierMail" }]);
  });
});

// The caller search on input no earlier round covered (ADR 092): a modern kanji name with a birth year when the caller
// is registered in an old form (both plans), a name and a year nobody of that name was born in, an era said apart
// from its year, emoji inside a name, and a postcode — each narrows to the caller or says what was not understood.
import { beforeAll, describe, expect, it } from "vitest";
import { searchForCaller, type CallerSearchResult } from "~/accounts/caller-search.server";
import { agentSearchContext, createNamedCustomer, searchResults } from "../support/search-fixtures";

const ctx = agentSearchContext("198.51.100.92");

const makeCustomer = (name: string, nameKana: string, birthDate: string) =>
  createNamedCustomer("unseen", name, nameKana, birthDate);

// 辺 and its old forms 邊 and 邉, on a family name no other test file uses.
let modern1990: Awaited<ReturnType<typeof makeCustomer>>;
let old1990: Awaited<ReturnType<typeof makeCustomer>>;
let old1979: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  modern1990 = await makeCustomer("辺見 純一", "ヘンミ ジュンイチ", "1990-05-05");
  old1990 = await makeCustomer("邊見 純一", "ヘンミ ジュンイチ", "1990-07-07");
  old1979 = await makeCustomer("邊見 純一", "ヘンミ ジュンイチ", "1979-11-11");
});

const ids = (result: CallerSearchResult) => searchResults(result).hits.map((hit) => hit.id);

describe("a modern kanji name with a birth year finds the old form's holder born then", () => {
  it("the era year (a name and a year, the broad plan): only an old-form holder was born then", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見 純一 S54"));
    expect(found.hits.map((hit) => hit.id)).toEqual([old1979.id]);
    expect(found.hits[0]!.matchedBy).toBe("nameVariant");
    expect(found.total).toBe(1);
  });

  it("four digits (the name and birth-year page): the name as typed first, then the old form", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見 純一 1990"));
    expect(found.hits.map((hit) => hit.id)).toEqual([modern1990.id, old1990.id]);
    expect(found.hits.map((hit) => hit.matchedBy)).toEqual(["name", "nameVariant"]);
    expect(found.total).toBe(2);
    expect(found.allFactsMatched).toBe(true);
  });

  it("four digits when only the old form was born then", async () => {
    expect(ids(await searchForCaller(ctx, "辺見 純一 1979"))).toEqual([old1979.id]);
  });
});

describe("a name and a year nobody of that name was born in", () => {
  it("lists the name's holders as closest matches, not an empty page", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見 純一 1930年"));
    expect(found.allFactsMatched).toBe(false);
    expect(found.hits.map((hit) => hit.id)).toEqual([modern1990.id, old1979.id, old1990.id]);
  });
});

describe("a name nobody holds as typed, and a year none of its held forms was born in", () => {
  it("one held form: its holders as closest matches, and the page names the form", async () => {
    const found = searchResults(await searchForCaller(ctx, "邉見 純一 1930年"));
    expect(found.searchedAs).toEqual(["辺見 純一"]);
    expect(found.allFactsMatched).toBe(false);
    expect(found.hits.map((hit) => hit.id)).toEqual([modern1990.id]);
  });

  it("several held forms (given name first, and its old form): all their holders", async () => {
    const found = searchResults(await searchForCaller(ctx, "純一 辺見 1930年"));
    expect(found.searchedAs.length).toBeGreaterThan(1);
    expect(found.allFactsMatched).toBe(false);
    expect(new Set(found.hits.map((hit) => hit.id))).toEqual(new Set([modern1990.id, old1990.id, old1979.id]));
  });
});

describe("an era said apart from its year", () => {
  it("辺見 純一 昭和 54 年 is the one born in 1979", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見 純一 昭和 54 年"));
    expect(found.hits.map((hit) => hit.id)).toEqual([old1979.id]);
    expect(found.allFactsMatched).toBe(true);
  });
});

describe("a romaji given name with a hyphen", () => {
  it("Henmi Jun-ichi 1979 is the 邊見 純一 born in 1979, every fact matched", async () => {
    const found = searchResults(await searchForCaller(ctx, "Henmi Jun-ichi 1979"));
    expect(found.hits.map((hit) => hit.id)).toEqual([old1979.id]);
    expect(found.allFactsMatched).toBe(true);
  });
});

describe("emoji inside a name", () => {
  it("辺見🙇‍♂️純一 is the name 辺見 純一", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見🙇‍♂️純一"));
    expect(found.hits[0]).toMatchObject({ id: modern1990.id, matchedBy: "name" });
  });
});

describe("words that are not searched are named", () => {
  it("a postcode alone is refused, naming it, instead of an empty page", async () => {
    expect(await searchForCaller(ctx, "〒150-0001")).toMatchObject({
      kind: "refused",
      code: "nothingSearchable",
      notUnderstood: [{ text: "〒150-0001", kind: "postcode" }],
    });
  });

  it("a birth year alone is refused, asking for the name, instead of an empty page", async () => {
    expect(await searchForCaller(ctx, "昭和54年")).toMatchObject({ kind: "refused", code: "addName" });
  });

  it("a phone number cut short is refused, naming the digits", async () => {
    expect(await searchForCaller(ctx, "0701234567")).toMatchObject({
      kind: "refused",
      notUnderstood: [{ text: "0701234567", kind: "digits" }],
    });
  });

  it("beside a name: the name is searched, the postcode named", async () => {
    const found = searchResults(await searchForCaller(ctx, "辺見 純一 S54 〒150-0001"));
    expect(found.hits.map((hit) => hit.id)).toEqual([old1979.id]);
    expect(found.notUnderstood).toEqual([{ text: "〒150-0001", kind: "postcode" }]);
  });
});

import { describe, expect, it } from "vitest";
import { emailByLocalPart } from "~/accounts/search-email-retry";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(query: string) {
  const parsed = parseSearchQuery(query);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.terms;
}

describe("an email retried by its local part", () => {
  it("reads the email as its local part, lower case, with every other fact kept", () => {
    const retried = emailByLocalPart(terms("佐藤 Sato.Shota85@gmial.com"))!;
    expect(retried.local).toBe("sato.shota85");
    expect(retried.terms.email).toBeNull();
    expect(retried.terms.facts.flat()).toContainEqual({ type: "emailLocal", value: "sato.shota85" });
    expect(retried.terms.facts.flat().some((reading) => reading.type === "email")).toBe(false);
    expect(retried.terms.name).toBe("佐藤");
  });

  it("a full-width address is read as typed in half width", () => {
    expect(emailByLocalPart(terms("ｓａｔｏ．ｓｈｏｔａ８５＠ｄｏｃｏｍｏ．ｎｅ．ｊｐ"))!.local).toBe("sato.shota85");
  });

  it("is not tried without an email, or with a local part too short to narrow anything", () => {
    expect(emailByLocalPart(terms("佐藤 翔太"))).toBeNull();
    expect(emailByLocalPart(terms("ab@example.jp"))).toBeNull();
  });

  it("a plus tag the caller added is left out of the retry (ADR 086): the registered address may have none", () => {
    expect(emailByLocalPart(terms("Taro.Sato+promo@Example.JP"))!.local).toBe("taro.sato");
    expect(emailByLocalPart(terms("taro+x@example.jp"))!.local).toBe("taro");
  });
});

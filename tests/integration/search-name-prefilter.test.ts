// The database's cheap test of whether a candidate's name could match (nameCouldMatch) must keep every customer the
// ranking's matchName would match: a candidate it dropped would vanish from a name-and-birth-year page. Checked on
// arbitrary names (kana, kanji, characters outside the BMP) against matchName itself, on the database in use.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { matchName, type NameKeys } from "~/accounts/search-match";
import { nameCouldMatch } from "~/accounts/search-narrow.server";
import { database } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";

const COLUMNS = ["name_key", "kana_key", "family_name_key", "family_kana_key", "given_name_key", "given_kana_key"];

async function couldMatch(typed: string, row: NameKeys): Promise<boolean> {
  const values = [row.nameKey, row.kanaKey, row.familyNameKey, row.familyKanaKey, row.givenNameKey, row.givenKanaKey];
  const statement = Prisma.sql`SELECT ${nameCouldMatch([typed])} AS yes
    FROM (SELECT ${Prisma.join(values.map((value, i) => Prisma.sql`${value}::text AS ${Prisma.raw(COLUMNS[i]!)}`))}) c`;
  const { rows } = await database.sql.query<{ yes: boolean }>(statement.text, statement.values);
  return rows[0]!.yes;
}

const character = fc.constantFrom(..."サトウシタカハスズキマコトユイーッ佐藤高橋翔太𠮷田");
const word = fc.array(character, { minLength: 1, maxLength: 6 }).map((chars) => chars.join(""));

/** A key one edit from `key` (or the key itself), as a caller's slip makes it. */
const slipOf = (key: string) =>
  fc
    .tuple(fc.nat(), character, fc.constantFrom("substitute", "insert", "delete", "swap", "none"))
    .map(([at, letter, kind]) => {
      const chars = [...key];
      const i = at % (chars.length + 1);
      if (kind === "substitute" && i < chars.length) chars[i] = letter;
      if (kind === "insert") chars.splice(i, 0, letter);
      if (kind === "delete" && i < chars.length && chars.length > 1) chars.splice(i, 1);
      if (kind === "swap" && i + 1 < chars.length) [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      return chars.join("");
    });

describe("nameCouldMatch keeps whatever matchName matches", () => {
  it("on names one slip, a prefix or a part away from the key typed", async () => {
    await fc.assert(
      fc.asyncProperty(
        word,
        word,
        fc.nat({ max: 3 }),
        fc.integer({ min: 0, max: 10_000 }),
        async (family, given, shape, seed) => {
          const full = family + given;
          const typed = fc.sample(slipOf([full, family, given, [...full].slice(0, 3).join("")][shape]!), {
            numRuns: 1,
            seed,
          })[0]!;
          const row: NameKeys = {
            nameKey: full,
            kanaKey: full,
            familyNameKey: family,
            familyKanaKey: family,
            givenNameKey: given,
            givenKanaKey: null,
          };
          if (matchName(typed, row) !== null) expect(await couldMatch(typed, row)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("drops a customer whose every name is far from the key", async () => {
    const stranger: NameKeys = {
      nameKey: "高橋翔太",
      kanaKey: "タカハシショウタ",
      familyNameKey: "高橋",
      familyKanaKey: "タカハシ",
      givenNameKey: "翔太",
      givenKanaKey: "ショウタ",
    };
    expect(matchName("サトウ", stranger)).toBeNull();
    expect(await couldMatch("サトウ", stranger)).toBe(false);
    expect(await couldMatch("タカハシ", stranger)).toBe(true);
    expect(await couldMatch("タカハツ", stranger)).toBe(true);
  });
});

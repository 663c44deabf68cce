// The one array-literal encoder (app/ledger/sql-array.ts), read back by the database it writes for: whatever goes in
// comes out unchanged, through both the fast path (nothing to escape) and the element-by-element one.
import { describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { arrayLiteral } from "~/incidents/replay/sql-arrays";
import { bareArray, intArray, textArray } from "~/ledger/sql-array";

/** What the database parsed, as JSON text: the same in both drivers, whatever the element type. */
async function readBack<T>(literal: string, type: string): Promise<T[]> {
  const rows = await prisma.$queryRawUnsafe<{ value: string }[]>(
    `SELECT array_to_json($1::text::${type}[])::text AS value`,
    literal,
  );
  return JSON.parse(rows[0]!.value) as T[];
}

describe("SQL array literals", () => {
  it("round-trips text with quotes, backslashes, commas, braces, blanks and NULL", async () => {
    const awkward = ['say "hi"', "C:\\path", "a,b", "{x}", "", " padded ", "NULL", null, "加熱式たばこ"];
    expect(await readBack<string | null>(textArray(awkward), "text")).toEqual(awkward);
    expect(await readBack<string | null>(arrayLiteral(awkward, "text"), "text")).toEqual(awkward);
  });

  it("round-trips plain text through the single-join fast path", async () => {
    const plain = ["alpha", "beta gamma", "7PAY-E2E"];
    expect(textArray(plain)).toBe('{"alpha","beta gamma","7PAY-E2E"}');
    expect(await readBack<string>(textArray(plain), "text")).toEqual(plain);
  });

  it("prints numbers, booleans and uuids bare, with NULL where a value is missing", async () => {
    expect(await readBack<number | null>(bareArray([1, null, -3]), "int4")).toEqual([1, null, -3]);
    expect(await readBack<boolean>(arrayLiteral([true, false], "bool"), "bool")).toEqual([true, false]);
    const id = "7b0e7c1e-5d7a-4c53-9a4e-3f1f0d6a2b10";
    expect(await readBack<string>(arrayLiteral([id], "uuid"), "uuid")).toEqual([id]);
    expect(await readBack<number>(intArray([2n ** 40n, 5]), "int8")).toEqual([2 ** 40, 5]);
  });

  it("encodes an empty column as an empty array", async () => {
    expect(textArray([])).toBe("{}");
    expect(bareArray([])).toBe("{}");
    expect(await readBack<string>(textArray([]), "text")).toEqual([]);
  });

  it("refuses a number that is not an integer where integers are expected", () => {
    expect(() => intArray([1.5])).toThrow(/not an integer/);
  });
});

// The audit CSV's formula escape (OWASP CSV injection), cell by cell: what a spreadsheet would run as a formula gets a
// leading apostrophe — full-width signs and signs behind leading whitespace included — and every cell reads back to the
// stored value, so the export's rows still re-hash (the verifier reads these cells).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  csvRecordToFields,
  csvRowLine,
  neutraliseCsvCell,
  parseCsv,
  restoreCsvCell,
  startsLikeFormula,
  type ExportRow,
} from "~/audit/export-format";
import { CSV_FORMULAS } from "../support/csv-formulas";

// Spelled out here rather than derived from the code under test.
const SIGNS = ["=", "+", "-", "@", "＝", "＋", "－", "＠", "﹦", "﹢", "﹣", "﹫"];
const LEADING_SPACE = [" ", "\u3000", "\u00a0", "\t", "\r", "\n"];

const HARMLESS = ["", "abc", "佐藤 一郎", "1-2", "a=b", "x@example.com", " plain", "ー長音", '{"a":1}', "ﾃｽﾄ", "   "];

function exportRow(reason: string): ExportRow {
  return {
    seq: "1",
    occurredAt: "2019-07-04T01:00:00.000Z",
    actorId: null,
    actorRole: null,
    action: "ledger.reverse",
    targetType: null,
    targetId: null,
    incidentId: null,
    outcome: "SUCCESS",
    reason,
    before: null,
    after: null,
    ip: null,
    userAgent: reason,
    requestId: null,
    prevHash: "0".repeat(64),
    hash: "1".repeat(64),
  };
}

describe("the CSV formula escape", () => {
  it("escapes what a spreadsheet runs as a formula, in either width and behind leading whitespace", () => {
    for (const value of CSV_FORMULAS) {
      expect(startsLikeFormula(value), JSON.stringify(value)).toBe(true);
      expect(neutraliseCsvCell(value)).toBe(`'${value}`);
    }
  });

  it("leaves ordinary text alone, and escapes a leading apostrophe so the escape stays reversible", () => {
    for (const value of HARMLESS) expect(neutraliseCsvCell(value), JSON.stringify(value)).toBe(value);
    expect(neutraliseCsvCell("'quoted")).toBe("''quoted");
    expect(restoreCsvCell("''quoted")).toBe("'quoted");
  });

  it("escapes every cell that starts with whitespace then a sign", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LEADING_SPACE), { maxLength: 4 }),
        fc.constantFrom(...SIGNS),
        fc.string(),
        (space, sign, rest) => {
          expect(neutraliseCsvCell(space.join("") + sign + rest).startsWith("'")).toBe(true);
        },
      ),
    );
  });

  it("never leaves a cell that starts like a formula, and always reads back to the stored value", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom(...SIGNS, ..."' a\t\u3000") })),
        (value) => {
          const cell = neutraliseCsvCell(value);
          const first = cell.replace(/^[ \u3000\u00a0]+/, "")[0];
          expect(cell.startsWith("'") || (!/^[\t\r\n]/.test(cell) && !SIGNS.includes(first ?? ""))).toBe(true);
          expect(restoreCsvCell(cell)).toBe(value);
        },
      ),
    );
  });

  it("keeps a whole exported row verifiable: its cells parse back to the hashed fields", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary" }), fc.constantFrom(...CSV_FORMULAS)), (reason) => {
        const [record] = parseCsv(csvRowLine(exportRow(reason)));
        const fields = csvRecordToFields(record!);
        expect(fields.reason).toBe(reason);
        expect(fields.userAgent).toBe(reason);
      }),
    );
  });
});

// The rule condition language: parse ∘ print is the identity on trees (property test), the type checker names the
// problem in words a fraud lead understands, and conditions that match every event or none are refused.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkCondition,
  COMPARISONS,
  ConditionError,
  coverageOf,
  evaluateCondition,
  parseCondition,
  printCondition,
  type Condition,
  type Literal,
} from "~/risk/condition";

const identifier = fc
  .stringMatching(/^[a-z_][a-z0-9_]{0,12}$/)
  .filter((s) => !["and", "or", "not", "in", "true", "false"].includes(s));
const literal: fc.Arbitrary<Literal> = fc.oneof(
  fc
    .integer({ min: -1_000_000_000, max: 1_000_000_000 })
    .map((value) => ({ type: "number" as const, value: value + 0 })),
  fc
    .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: 99 }))
    .map(([whole, cents]) => ({ type: "number" as const, value: Number(`${whole}.${cents}`) })),
  fc.string({ maxLength: 12 }).map((value) => ({ type: "string" as const, value })),
  fc.boolean().map((value) => ({ type: "bool" as const, value })),
);
const condition: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ kind: fc.constant("flag" as const), feature: identifier }),
    fc.record({
      kind: fc.constant("compare" as const),
      feature: identifier,
      op: fc.constantFrom(...COMPARISONS),
      value: literal,
    }),
    fc.record({
      kind: fc.constant("in" as const),
      feature: identifier,
      values: fc.array(literal, { minLength: 1, maxLength: 4 }),
    }),
    fc.record({ kind: fc.constant("not" as const), operand: tie("node") }),
    fc.record({ kind: fc.constant("and" as const), left: tie("node"), right: tie("node") }),
    fc.record({ kind: fc.constant("or" as const), left: tie("node"), right: tie("node") }),
  ),
})).node;

function errorOf(text: string): string {
  try {
    checkCondition(text);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionError);
    return (error as Error).message;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe("the condition language", () => {
  it("parses what it prints back to the same tree, for any tree", () => {
    fc.assert(
      fc.property(condition, (tree) => {
        const text = printCondition(tree);
        expect(parseCondition(text)).toEqual(tree);
        expect(printCondition(parseCondition(text))).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws anything but a ConditionError on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          checkCondition(text);
        } catch (error) {
          expect(error).toBeInstanceOf(ConditionError);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("binds and tighter than or, and prints canonically", () => {
    const checked = checkCondition('amount>=50_000 AND ip_country!="JP" or  device_accounts_24h >= 3');
    expect(checked.text).toBe('amount >= 50000 and ip_country != "JP" or device_accounts_24h >= 3');
    const values = { amount: 10, ip_country: "JP", device_accounts_24h: 3 };
    expect(evaluateCondition(checked.condition, values)).toBe(true);
    expect(evaluateCondition(checked.condition, { ...values, device_accounts_24h: 1 })).toBe(false);
    expect(checkCondition("not (has_2fa or amount < 1000)").text).toBe("not (has_2fa or amount < 1000)");
  });

  it("explains unknown features, type mismatches and impossible values", () => {
    expect(errorOf("amout > 1000")).toMatch(/no feature called “amout”.*Did you mean “amount”/);
    expect(errorOf('amount > "1000"')).toMatch(/“amount” is a number; it cannot be compared with "1000"/);
    expect(errorOf("ip_country == 81")).toMatch(/“ip_country” is text/);
    expect(errorOf('channel == "CARD"')).toMatch(/“channel” is never "CARD"; it is one of CREDIT_CARD, BANK/);
    expect(errorOf('ip_country < "JP"')).toMatch(/only == and != apply/);
    expect(errorOf("amount")).toMatch(/compare it with something/);
    expect(errorOf("amount = 5")).toMatch(/Use ==/);
    expect(errorOf("amount > ")).toMatch(/Expected a number.*end of the condition/);
    expect(errorOf("(amount > 5")).toMatch(/Expected “\)”/);
    expect(errorOf("")).toMatch(/empty/);
    expect(errorOf("x".repeat(3000))).toMatch(/longer than/);
    expect(errorOf("not ".repeat(100) + "has_2fa")).toMatch(/nested too deeply/);
  });

  it("refuses a condition that matches every event or none", () => {
    expect(errorOf("amount >= 0")).toMatch(/matches every event/);
    expect(errorOf("has_2fa or not has_2fa")).toMatch(/matches every event/);
    expect(errorOf('channel in ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"]')).toMatch(/matches every event/);
    expect(errorOf("amount > 10 and amount < 5")).toMatch(/can never match/);
    expect(errorOf('ip_country == "JP" and ip_country == "US"')).toMatch(/can never match/);
    expect(coverageOf(parseCondition("amount > 0.5 and amount < 0.7"))).toBe("some");
    expect(coverageOf(parseCondition('ip_country != "JP"'))).toBe("some");
  });
});

// A refused condition is worded in the lead's language: the English sentence is unchanged from the one the checker
// throws, and a Japanese lead reads the same problem in Japanese, with the offending text and column kept.
import { describe, expect, it } from "vitest";
import { DomainError } from "~/lib/domain-error";
import { validateCondition } from "~/risk/rules.server";
import { translateRiskError } from "~/risk/translate-error.server";

function refusal(text: string): DomainError {
  try {
    validateCondition(text);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error(`"${text}" was accepted`);
}

describe("condition refusals in the lead's language", () => {
  it.each([
    ["amount = 3", "Use == to compare (a single = is not an operator). (column 8)"],
    ["(amount > 1", "Expected “)” but found the end of the condition. (column 12)"],
    ["amout > 3", "There is no feature called “amout”. Did you mean “amount”? Features: "],
    ['channel > "BANK"', "“channel” is text: only == and != apply, not >."],
  ])("English: %s", (text, expected) => {
    const error = refusal(text);
    expect(error.code).toBe("RULE_CONDITION_INVALID");
    expect(translateRiskError("en", error)).toContain(expected);
    expect(translateRiskError("en", error)).toBe(error.message);
  });

  it.each([
    ["amount = 3", "比較には == を使ってください（= だけでは演算子になりません）。（8 文字目）"],
    ["(amount > 1", "「)」が必要ですが、条件の終わりがあります。（12 文字目）"],
    ["amout > 3", "「amout」という特徴量はありません。「amount」のことですか？使える特徴量：amount, channel"],
    ['channel > "BANK"', "「channel」は文字列なので、使えるのは == と != だけです（> は使えません）。"],
    ["amount >= 0", "この条件はすべての取引に一致します。"],
  ])("Japanese: %s", (text, expected) => {
    const message = translateRiskError("ja", refusal(text));
    expect(message).toContain(expected);
    expect(message).not.toMatch(/[A-Z][a-z]+ [a-z]+ /);
  });

  it("leaves other refusals to the shared errors namespace", () => {
    const error = new DomainError("RULE_NOT_FOUND", "There is no such rule.", 404);
    expect(translateRiskError("en", error)).toBe("There is no such rule.");
    expect(translateRiskError("ja", error)).not.toBe("There is no such rule.");
  });
});

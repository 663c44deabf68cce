// The reversal pages say where the money goes in the reader's language; in English they must say exactly what the
// audit trail records.
import { describe, expect, it } from "vitest";
import { fixedT } from "~/i18n/fixed-t";
import { describeDestination, type ChargeDescription } from "~/ledger/reversal-destination";
import { destinationSentence } from "~/ledger/ui/destination-sentence";

const charges: ChargeDescription[] = [
  { kind: "PURCHASE", channel: null, fundingLabel: null, storeName: "Kabukicho 1-chome", storeCode: "S-KABUKICHO-01" },
  { kind: "PURCHASE", channel: null, fundingLabel: null, storeName: null, storeCode: null },
  { kind: "TOP_UP", channel: "CREDIT_CARD", fundingLabel: "VISA ••4242", storeName: null, storeCode: null },
  { kind: "TOP_UP", channel: "BANK", fundingLabel: null, storeName: null, storeCode: null },
  { kind: "TOP_UP", channel: "CONVENIENCE_CASH", fundingLabel: "FamilyMart", storeName: null, storeCode: null },
];

describe("where a reversal's money goes", () => {
  it.each(charges)("English repeats the audited sentence (%o)", (charge) => {
    const destination = describeDestination(charge, 12_345);
    expect(destinationSentence(fixedT("en", "reversals"), "en", destination.words)).toBe(destination.sentence);
  });

  it("Japanese names the same store, card and amount in Japanese", () => {
    const ja = fixedT("ja", "reversals");
    const purchase = describeDestination(charges[0]!, 12_345);
    const card = describeDestination(charges[2]!, 12_345);
    expect(destinationSentence(ja, "ja", purchase.words)).toBe(
      "Kabukicho 1-chome (S-KABUKICHO-01)への支払予定額から¥12,345を取り消し、お客様のウォレットに戻します。",
    );
    expect(destinationSentence(ja, "ja", card.words)).toContain("カード VISA ••4242 へ返金します");
    expect(destinationSentence(ja, "ja", describeDestination(charges[3]!, 1).words)).toContain("登録済みの支払元");
  });
});

// Where the money of a reversal goes, in words, for the screen the agent confirms on and for the audit trail. Shared
// by server and browser: no database access.
import { yen } from "~/ledger/money";

export interface ChargeDescription {
  kind: "TOP_UP" | "PURCHASE";
  channel: "CREDIT_CARD" | "BANK" | "CONVENIENCE_CASH" | null;
  fundingLabel: string | null;
  storeName: string | null;
  storeCode: string | null;
}

export interface Destination {
  /** The account the money leaves. */
  from: string;
  /** Where it ends up. */
  to: string;
  /** The English sentence the audit trail records; pages say it in the reader's language (useDestinationSentence). */
  sentence: string;
  /** What the pages need to say it in another language: which sentence, and its store or funding source. */
  words: DestinationWords;
}

export interface DestinationWords {
  kind: "purchase" | "bank" | "cash" | "card";
  amount: number;
  /** "Store name (CODE)" or the code; null when the charge names no store. */
  store: string | null;
  /** "VISA ••1234"; null when the charge names no funding source. */
  source: string | null;
}

export function fundingLabel(brand: string | null, last4: string | null): string | null {
  if (!brand) return null;
  return last4 ? `${brand} ••${last4}` : brand;
}

export function describeDestination(charge: ChargeDescription, amount: number): Destination {
  const money = yen(amount);
  if (charge.kind === "PURCHASE") {
    const store = charge.storeName ? `${charge.storeName} (${charge.storeCode})` : (charge.storeCode ?? "the store");
    const named = charge.storeName ? store : charge.storeCode;
    return {
      words: { kind: "purchase", amount, store: named, source: null },
      from: `payable to ${store}`,
      to: "the customer's wallet",
      sentence: `${money} is taken back from what we owe ${store} and credited to the customer's wallet.`,
    };
  }
  const source = charge.fundingLabel ?? "the funding source";
  const words = (kind: DestinationWords["kind"]): DestinationWords => ({
    kind,
    amount,
    store: null,
    source: charge.fundingLabel,
  });
  if (charge.channel === "BANK") {
    return {
      words: words("bank"),
      from: "the customer's wallet",
      to: `bank account ${source}`,
      sentence: `${money} leaves the customer's wallet and is refunded to bank account ${source} (a refund instruction is queued for the bank).`,
    };
  }
  if (charge.channel === "CONVENIENCE_CASH") {
    return {
      words: words("cash"),
      from: "the customer's wallet",
      to: "a cash refund",
      sentence: `${money} leaves the customer's wallet and is owed back in cash (a refund instruction is queued for manual payout).`,
    };
  }
  return {
    words: words("card"),
    from: "the customer's wallet",
    to: `card ${source}`,
    sentence: `${money} leaves the customer's wallet and is refunded to card ${source} (a refund instruction is queued for the card processor).`,
  };
}

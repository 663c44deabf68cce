// The lines of a "charges reversed" notice: one per original charge, whatever number of partial reversals paid it
// back, with their total, in the order the charges were made. Two identical lines for a purchase reversed in two
// parts read to a customer as two charges.
export interface ReversalPart {
  /** The charge (ledger transaction) the reversal undoes. */
  chargeId: string;
  chargedAt: Date;
  merchant: string | null;
  amountYen: number;
  destination: "wallet" | "card";
}

export interface ReversalLine {
  chargedAt: Date;
  merchant: string | null;
  amountYen: number;
  destination: "wallet" | "card";
}

export function mergeReversalParts(parts: ReversalPart[]): ReversalLine[] {
  const byCharge = new Map<string, ReversalLine>();
  for (const part of parts) {
    const line = byCharge.get(part.chargeId);
    if (line) line.amountYen += part.amountYen;
    else
      byCharge.set(part.chargeId, {
        chargedAt: part.chargedAt,
        merchant: part.merchant,
        amountYen: part.amountYen,
        destination: part.destination,
      });
  }
  return [...byCharge.values()].sort((a, b) => a.chargedAt.getTime() - b.chargedAt.getTime());
}

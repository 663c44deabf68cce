// Reasons in words: the evidence a signal found, as a lead reads it next to the score. Times in JST. Shared by the
// server (saved with the cohort member) and the pages.
import type { SignalKey } from "~/incidents/cohorts/definition";
import { formatJst, formatYen } from "~/lib/format";

export type Evidence = Record<string, unknown>;

const text = (value: unknown) => (value === null || value === undefined ? "?" : String(value));
const yen = (value: unknown) => (typeof value === "number" ? formatYen(value) : text(value));
const when = (value: unknown) => formatJst(typeof value === "string" || value instanceof Date ? value : null);

export function describeEvidence(code: SignalKey | "store", evidence: Evidence): string {
  switch (code) {
    case "newDevice": {
      const device = [evidence.platform, evidence.model].filter(Boolean).join(" ") || "an unknown device";
      return `First sign-in from ${device} at ${when(evidence.at)} (${text(evidence.country)}, ${text(evidence.ip)})`;
    }
    case "foreignSignIn":
      return `Signed in from ${text(evidence.country)} (${text(evidence.ip)}) at ${when(evidence.at)}`;
    case "sharedDevice":
      return `Device ${text(evidence.fingerprint)} signed in to ${text(evidence.accounts)} accounts in the window`;
    case "sharedIp":
      return `IP ${text(evidence.ip)} tried ${text(evidence.accounts)} accounts (signed in to ${text(evidence.signedIn)}) in the window`;
    case "topUpThenResellable":
      return (
        `Card top-up of ${yen(evidence.amount)} at ${when(evidence.at)}, then ${yen(evidence.resellableYen)} of ` +
        `resellable goods in ${text(evidence.purchases)} purchase(s) by ${when(evidence.lastPurchaseAt)}`
      );
    case "contactChangeBeforeTopUp":
      return (
        `${evidence.field === "PHONE" ? "Phone" : "Email"} changed at ${when(evidence.changedAt)}, then a ` +
        `${yen(evidence.amount)} top-up at ${when(evidence.topUpAt)}`
      );
    case "store": {
      const stores = Array.isArray(evidence.stores) ? evidence.stores.join(", ") : text(evidence.stores);
      return `${text(evidence.purchases)} purchase(s) totalling ${yen(evidence.yen)} at ${stores}`;
    }
  }
}

// The recommended starter rule set. Each rule describes a takeover pattern in general terms (a device new to the
// account, several accounts behind one device or address, a contact change just before money moves, an unusual burst
// of top-ups), not the particulars of one attack: no store, amount or country list from the 7pay replay appears here.
// Its backtest on the replay is in the README (scripts/bench/rules-backtest.ts prints it).
import type { Outcome } from "~/risk/engine";
import type { EventKind, FundingChannel } from "~/risk/features";

export interface StarterRule {
  ruleKey: string;
  name: string;
  condition: string;
  outcome: Outcome;
  channel: FundingChannel | null;
  eventKind: EventKind;
}

export const STARTER_RULES: readonly StarterRule[] = [
  {
    ruleKey: "new-device-abroad",
    name: "Device first seen today, signed in from abroad",
    condition: 'device_age_hours < 24 and ip_country != "JP"',
    outcome: "HOLD",
    channel: null,
    eventKind: "TOP_UP",
  },
  {
    ruleKey: "device-shared-by-accounts",
    name: "One device signed into three or more accounts in a day",
    condition: "device_accounts_24h >= 3",
    outcome: "BLOCK",
    channel: null,
    eventKind: "TOP_UP",
  },
  {
    ruleKey: "address-shared-by-accounts",
    name: "One IP address signed into five or more accounts in a day, on a new device",
    condition: "ip_accounts_24h >= 5 and device_age_hours < 72",
    outcome: "HOLD",
    channel: null,
    eventKind: "TOP_UP",
  },
  {
    ruleKey: "contact-change-then-top-up",
    name: "Email or phone changed in the last day, on a device new this week",
    condition: "minutes_since_contact_change < 1440 and device_age_hours < 168",
    outcome: "STEP_UP",
    channel: null,
    eventKind: "TOP_UP",
  },
  {
    ruleKey: "card-burst-new-device",
    name: "Third card top-up within the hour from a device new this week",
    condition: "topups_1h >= 2 and device_age_hours < 168",
    outcome: "STEP_UP",
    channel: "CREDIT_CARD",
    eventKind: "TOP_UP",
  },
];

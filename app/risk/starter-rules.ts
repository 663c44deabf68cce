// The recommended starter rule set. Each rule describes a takeover pattern in general terms (a device new to the
// account, several accounts behind one device or address, a contact change just before money moves, money moved in
// the first hour of a new device's session, a run of top-ups that ordinary spending does not need), not the
// particulars of one attack: no store, amount or country list from the 7pay replay appears here. The set is meant to
// hold when the attacker changes the particulars: on the replay rewritten so that the attackers sign in through
// domestic addresses on one fresh device per victim, the rules that need no foreign address and no shared device
// still stop 99% of the money (README, "Attacks the replay does not contain").
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
  // A phone the account has never used, signing in from outside the customer's country: the classic takeover.
  {
    ruleKey: "new-device-abroad",
    name: "Device first seen today, signed in from abroad",
    condition: 'device_age_hours < 24 and ip_country != "JP"',
    outcome: "HOLD",
    channel: null,
    eventKind: "TOP_UP",
  },
  // Credential stuffing works many accounts from one handset: a real customer's phone is theirs alone.
  {
    ruleKey: "device-shared-by-accounts",
    name: "One device signed into three or more accounts in a day",
    condition: "device_accounts_24h >= 3",
    outcome: "BLOCK",
    channel: null,
    eventKind: "TOP_UP",
  },
  // One address behind many accounts is a proxy or a stuffing rig; carriers' shared addresses are why the device must
  // also be new before this holds a top-up.
  {
    ruleKey: "address-shared-by-accounts",
    name: "One IP address signed into five or more accounts in a day, on a new device",
    condition: "ip_accounts_24h >= 5 and device_age_hours < 72",
    outcome: "HOLD",
    channel: null,
    eventKind: "TOP_UP",
  },
  // Changing the email or phone first cuts the owner off from the alerts: money right after it, from a new device,
  // asks for the second factor.
  {
    ruleKey: "contact-change-then-top-up",
    name: "Email or phone changed in the last day, on a device new this week",
    condition: "minutes_since_contact_change < 1440 and device_age_hours < 168",
    outcome: "STEP_UP",
    channel: null,
    eventKind: "TOP_UP",
  },
  // Cashing out a stolen card is a burst of charges; a new device makes it worth a second factor.
  {
    ruleKey: "card-burst-new-device",
    name: "Third card top-up within the hour from a device new this week",
    condition: "topups_1h >= 2 and device_age_hours < 168",
    outcome: "STEP_UP",
    channel: "CREDIT_CARD",
    eventKind: "TOP_UP",
  },
  // An attacker moves the money as soon as they are in; an owner on a new phone can answer the step-up with their
  // authenticator. (The replay's ordinary customers rarely top up in their first hour on a new phone; in real traffic
  // more owners will be asked, which a step-up is meant to make cheap.)
  {
    ruleKey: "new-device-fresh-session",
    name: "Top-up in the first hour of a session on a device first seen today",
    condition: "device_age_hours < 24 and minutes_since_sign_in < 60",
    outcome: "STEP_UP",
    channel: null,
    eventKind: "TOP_UP",
  },
  // A wallet is topped up to pay for something; topping up again on the same day from a device first seen today is
  // draining the funding source, whatever the address or device looks like.
  {
    ruleKey: "new-device-repeat-top-up",
    name: "Second top-up of the day from a device first seen today",
    condition: "device_age_hours < 24 and topups_24h >= 1",
    outcome: "HOLD",
    channel: null,
    eventKind: "TOP_UP",
  },
  // Velocity on the account itself, whichever device is used: a third top-up within a day is rare for a customer and
  // is how a takeover cashes out. It holds even when the owner signs in meanwhile, so that the latest sign-in (the
  // one a money event reads its device and address from) is the owner's own phone at home.
  {
    ruleKey: "third-top-up-in-a-day",
    name: "Third top-up within a day",
    condition: "topups_24h >= 2",
    outcome: "STEP_UP",
    channel: null,
    eventKind: "TOP_UP",
  },
];

// The switches the code knows by name. The rows themselves are reference data (migration 20261128000300); this module
// only says which switch covers which flow, and is shared by the server and the switch board in the browser.
import type { FundingKind } from "~/generated/prisma/enums";

export const SWITCH_KEYS = [
  "topup.all",
  "topup.credit_card",
  "topup.bank",
  "topup.convenience_cash",
  "signin.new_device",
  "reset.self_service",
] as const;
export type SwitchKey = (typeof SWITCH_KEYS)[number];

export const TOPUP_ALL: SwitchKey = "topup.all";

const TOPUP_CHANNEL_SWITCH: Record<FundingKind, SwitchKey> = {
  CREDIT_CARD: "topup.credit_card",
  BANK: "topup.bank",
  CONVENIENCE_CASH: "topup.convenience_cash",
};

export const FUNDING_KINDS: readonly FundingKind[] = ["CREDIT_CARD", "BANK", "CONVENIENCE_CASH"];

/** Every switch that stops a top-up through this channel: the global one and the channel's own. */
export function switchesCoveringTopUp(channel: FundingKind): SwitchKey[] {
  return [TOPUP_ALL, TOPUP_CHANNEL_SWITCH[channel]];
}

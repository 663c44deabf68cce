import type { PolicySpec } from "./backtest";

/** The containment policy the replay recommends: the first signs of a takeover wave stop card top-ups. */
export const RECOMMENDED_POLICY: PolicySpec = {
  detectors: ["failed-signin-rate", "signin-new-device-abroad", "card-topup-after-new-device", "accounts-per-device"],
  minSeverity: "LOW",
  switchKey: "topup.credit_card",
};

/** The same trigger stopping every top-up channel: what a wave funded with cash needs, at a cost to everyone. */
export const ALL_TOP_UPS_POLICY: PolicySpec = { ...RECOMMENDED_POLICY, switchKey: "topup.all" };

import type { PolicySpec } from "./backtest";

/** The containment policy the replay recommends (see the README's detection table for what it does). */
export const RECOMMENDED_POLICY: PolicySpec = {
  detectors: ["signin-new-device-abroad", "card-topup-after-new-device", "accounts-per-device"],
  minSeverity: "LOW",
  switchKey: "topup.credit_card",
};

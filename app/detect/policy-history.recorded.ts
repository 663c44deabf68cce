// Written by scripts/record-policy-history.ts: do not edit. What the detectors raised on the replay's ordinary weeks,
// for the /policies page (app/detect/policy-history.server.ts, ADR 102).
import type { RecordedOrdinaryHistory } from "./policy-history.server";

export const RECORDED_ORDINARY_HISTORY: RecordedOrdinaryHistory = {
  versions: {
    "signin-new-device-abroad": 1,
    "accounts-per-ip": 1,
    "accounts-per-device": 1,
    "card-topup-after-new-device": 1,
    "resellable-per-store": 1,
    "topup-after-contact-change": 1,
    "failed-signin-rate": 2,
    "contact-change-after-new-device": 1,
  },
  weeks: 4,
  firings: {},
};

// The wallet back end's public surface: what customers' apps (and the simulator) call to move money.
export { topUp, assertTopUpsAllowed, MAX_TOPUP_YEN, type TopUpInput, type TopUpResult } from "~/wallet/top-up.server";
export {
  purchase,
  MAX_PURCHASE_YEN,
  type PurchaseInput,
  type PurchaseItemInput,
  type PurchaseResult,
} from "~/wallet/purchase.server";
export { TopUpSuspendedError, SwitchStateUnavailableRefusal } from "~/wallet/errors";
export type { WalletOptions } from "~/wallet/transaction-runner.server";

// Refusals of customer sign-in, written for the wallet app's screens. The same INVALID_CREDENTIALS answer covers an
// unknown account and a wrong password; PASSWORD_RESET_REQUIRED is given whatever password was typed, so an attacker
// holding the old password cannot even learn that it was right.
import { DomainError, type DomainErrorStatus } from "~/lib/domain-error";

export type CustomerAuthRefusalCode =
  | "INVALID_CREDENTIALS"
  | "PASSWORD_RESET_REQUIRED"
  | "ACCOUNT_CLOSED"
  | "TOO_MANY_ATTEMPTS"
  | "SIGN_IN_NEW_DEVICE_SUSPENDED"
  | "SIGN_IN_SWITCH_STATE_UNAVAILABLE"
  | "SIGN_IN_DECLINED"
  | "SIGN_IN_CHECKS_UNAVAILABLE"
  | "CHALLENGE_INVALID"
  | "INVALID_CODE"
  | "CUSTOMER_SERVICE_BUSY";

const MESSAGES: Record<CustomerAuthRefusalCode, [string, DomainErrorStatus]> = {
  INVALID_CREDENTIALS: ["The member number, email or password is not correct.", 403],
  PASSWORD_RESET_REQUIRED: [
    "For your security you must set a new password. Use the link we emailed to the address on file, or call support.",
    403,
  ],
  ACCOUNT_CLOSED: ["This account is closed.", 403],
  TOO_MANY_ATTEMPTS: ["Too many failed attempts. Please wait 15 minutes and try again.", 429],
  SIGN_IN_NEW_DEVICE_SUSPENDED: [
    "Signing in on a new device is temporarily suspended. Please use a device you have signed in on before, or try later.",
    503,
  ],
  SIGN_IN_SWITCH_STATE_UNAVAILABLE: [
    "Signing in on a new device is refused right now because its safety setting could not be confirmed. Please try later.",
    503,
  ],
  SIGN_IN_DECLINED: ["This sign-in was declined for your security. Please contact support.", 403],
  SIGN_IN_CHECKS_UNAVAILABLE: [
    "Signing in is refused right now because its security checks could not be completed. Please try later.",
    503,
  ],
  CHALLENGE_INVALID: ["This sign-in has expired. Please sign in again.", 403],
  INVALID_CODE: ["The code is not correct. Check your authenticator app and try again.", 400],
  CUSTOMER_SERVICE_BUSY: ["We are very busy right now. Nothing was changed. Please try again in a moment.", 503],
};

export class CustomerAuthRefusal extends DomainError {
  constructor(override readonly code: CustomerAuthRefusalCode) {
    const [message, status] = MESSAGES[code];
    super(code, message, status);
    this.name = "CustomerAuthRefusal";
  }
}

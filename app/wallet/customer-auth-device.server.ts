// The pieces of customer sign-in shared by the password step and the second-factor step: has the customer
// used this device before, does the signin.new_device kill switch allow a new one (read inside the caller's
// transaction, FOR SHARE; unreadable = refused), and establishing the session with its login record.
import type { DbTx } from "~/db.server";
import { engagedAmong, readSwitchesForFlow, SwitchStateUnavailableError } from "~/killswitch/enforcement.server";
import type { SwitchKey } from "~/killswitch/switch-keys";
import { CustomerAuthRefusal } from "~/wallet/customer-auth-errors";
import { createCustomerSession } from "~/wallet/customer-auth-session.server";
import { FAILURE_WINDOW_MS } from "~/wallet/customer-sign-in-limits.server";

export const SIGNIN_NEW_DEVICE: SwitchKey = "signin.new_device";

export { FAILURE_WINDOW_MS, MAX_FAILURES_IN_WINDOW } from "~/wallet/customer-sign-in-limits.server";

/**
 * The account's failed sign-ins in the current window, for the second step. Attempts refused before their password
 * was checked (a reason is set: a source over its limit) are not the account's failures: a blocked source that keeps
 * naming an account must not lock its owner out.
 */
export async function recentFailures(db: Pick<DbTx, "loginEvent">, customerId: string, at: Date): Promise<number> {
  return db.loginEvent.count({
    where: {
      customerId,
      success: false,
      reason: null,
      occurredAt: { gt: new Date(at.getTime() - FAILURE_WINDOW_MS) },
    },
  });
}

export interface DeviceClaim {
  fingerprint: string;
  platform: string;
  model?: string | null;
}

export interface SignInOrigin {
  ip: string | null;
  /** ISO 3166-1 alpha-2, as the edge geolocates the address; "ZZ" when unknown. */
  country: string;
}

/**
 * The customer's device with this fingerprint if they have signed in on it before, else null (a new device). A device
 * revoked by a forced reset is not new: its session and trust are gone, so it needs the new password to sign in again,
 * but the signin.new_device switch (meant for the stranger's phone of a credential-stuffing wave) does not lock the
 * owner out of their own phone after a reset. docs/decisions/013-account-recovery.md.
 */
export async function knownDevice(tx: DbTx, customerId: string, fingerprint: string) {
  return tx.device.findUnique({
    where: { customerId_fingerprint: { customerId, fingerprint } },
    select: { id: true, trusted: true, revokedAt: true, firstSeenAt: true },
  });
}

/** Throws unless a new device may sign in now. Fail closed: a switch state that cannot be read refuses. */
export async function assertNewDeviceAllowed(tx: DbTx): Promise<void> {
  try {
    const states = await readSwitchesForFlow(tx, [SIGNIN_NEW_DEVICE]);
    if (engagedAmong(states).length > 0) throw new CustomerAuthRefusal("SIGN_IN_NEW_DEVICE_SUSPENDED");
  } catch (error) {
    if (error instanceof SwitchStateUnavailableError) throw new CustomerAuthRefusal("SIGN_IN_SWITCH_STATE_UNAVAILABLE");
    throw error;
  }
}

export type LoginRefusalReason = "SOURCE_LIMITED";

export async function recordLogin(
  tx: DbTx,
  input: {
    customerId: string;
    deviceId: string | null;
    origin: SignInOrigin;
    success: boolean;
    newDevice: boolean;
    at: Date;
    /** Why the attempt was refused before its password was checked (SOURCE_LIMITED). */
    reason?: LoginRefusalReason;
  },
): Promise<void> {
  await tx.loginEvent.create({
    data: {
      reason: input.reason ?? null,
      customerId: input.customerId,
      deviceId: input.deviceId,
      ip: input.origin.ip ?? "unknown",
      country: input.origin.country,
      success: input.success,
      newDevice: input.newDevice,
      occurredAt: input.at,
    },
  });
}

/**
 * The end of a successful sign-in: the device becomes (again) trusted — a device revoked by a forced reset is trusted
 * again only by signing in with the new password — and a session is created for it.
 */
export async function establishSession(
  tx: DbTx,
  input: { customerId: string; device: DeviceClaim; origin: SignInOrigin; newDevice: boolean; at: Date },
): Promise<{ token: string; expiresAt: Date; deviceId: string }> {
  const device = await tx.device.upsert({
    where: { customerId_fingerprint: { customerId: input.customerId, fingerprint: input.device.fingerprint } },
    create: {
      customerId: input.customerId,
      fingerprint: input.device.fingerprint,
      platform: input.device.platform,
      model: input.device.model ?? null,
      firstSeenAt: input.at,
      trusted: true,
    },
    update: { trusted: true, revokedAt: null },
    select: { id: true },
  });
  const session = await createCustomerSession(tx, input.customerId, device.id, input.at);
  await recordLogin(tx, {
    customerId: input.customerId,
    deviceId: device.id,
    origin: input.origin,
    success: true,
    newDevice: input.newDevice,
    at: input.at,
  });
  return { ...session, deviceId: device.id };
}

// Staff members a benchmark signs in over HTTP, as a person does (password, then TOTP), through the test fixtures.
// Imported fixtures open the database: DATABASE_URL must be set before the first call.
import type { TestHttpApp } from "../../../tests/support/http-app";
import type { CreateStaffOptions, StaffClient } from "../../../tests/support/staff";

/** Creates `count` staff members (`member(i)` says who) and signs each in, a few at a time: every sign-in hashes a
 *  password twice (the fixture, then the server's check), and a busy machine would time out the rest. */
export async function signInBenchStaff(
  app: TestHttpApp,
  count: number,
  member: (i: number) => CreateStaffOptions,
): Promise<StaffClient[]> {
  const { createStaff, signIn } = await import("../../../tests/support/staff");
  const signedIn: StaffClient[] = [];
  for (let i = 0; i < count; i += SIGN_INS_AT_ONCE) {
    const batch = Array.from({ length: Math.min(SIGN_INS_AT_ONCE, count - i) }, async (_, j) =>
      signIn(app, await createStaff(member(i + j))),
    );
    signedIn.push(...(await Promise.all(batch)));
  }
  return signedIn;
}

const SIGN_INS_AT_ONCE = 4;

/** One staff member, created and signed in. */
export async function signInBenchMember(app: TestHttpApp, member: CreateStaffOptions): Promise<StaffClient> {
  const [client] = await signInBenchStaff(app, 1, () => member);
  return client!;
}

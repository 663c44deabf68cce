// Password hashing with argon2id. Parameters: 64 MiB, 3 passes, 1 lane — above OWASP's floor (19 MiB, t=2, p=1) and
// RFC 9106's memory recommendation, at about 80 ms per verification on the project's 2-core machines
// (scripts/bench/argon2.ts). Staff sign in a few times a day; an attacker with the table pays that per guess.
import { hash, parseOptions, verify, type Options } from "@node-rs/argon2";
import { cheapTestHashing } from "~/env.server";

export const ARGON2_OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum, which isolatedModules cannot import)
  memoryCost: 65_536, // KiB
  timeCost: 3,
  parallelism: 1,
} as const satisfies Options;

// The test suite signs in and creates staff and customers thousands of times; at ~80 ms a hash the policy's cost was a
// large share of its run time. Under NODE_ENV=test only, FIREBREAK_TEST_CHEAP_HASHING=1 (set by the Vitest setup)
// selects the cheapest parameters argon2 accepts. Any other NODE_ENV ignores it, and
// tests/unit/password-hashing.test.ts hashes and verifies with the policy's own parameters.
export const TEST_ARGON2_OPTIONS = {
  algorithm: 2,
  memoryCost: 8,
  timeCost: 1,
  parallelism: 1,
} as const satisfies Options;

function hashingOptions(): Options {
  return cheapTestHashing() ? TEST_ARGON2_OPTIONS : ARGON2_OPTIONS;
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, hashingOptions());
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    // The stored hash names its own parameters; argon2 verifies with those.
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a 500 that tells the caller this email exists.
    return false;
  }
}

// A hash of a random string nobody knows, verified against when the email is unknown, disabled or not yet set up, so
// those answers cost the same argon2 work as a wrong password (no timing oracle for enumeration).
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummyHash(password: string): Promise<false> {
  dummyHash ??= hash(crypto.randomUUID(), hashingOptions());
  await verifyPassword(await dummyHash, password);
  return false;
}

/** True when a stored hash was made with weaker (or just different) parameters than today's policy. */
export function needsRehash(passwordHash: string): boolean {
  try {
    const options = parseOptions(passwordHash);
    const policy = hashingOptions();
    return (
      options.algorithm !== policy.algorithm ||
      options.memoryCost !== policy.memoryCost ||
      options.timeCost !== policy.timeCost ||
      options.parallelism !== policy.parallelism
    );
  } catch {
    return true;
  }
}

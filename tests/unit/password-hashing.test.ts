// The suite hashes with the cheapest argon2 parameters (tests/support/vitest-setup.ts); this file checks the policy's
// own parameters once, and that the cheap ones cannot leak outside NODE_ENV=test.
import { parseOptions } from "@node-rs/argon2";
import { afterEach, describe, expect, it } from "vitest";
import { ARGON2_OPTIONS, hashPassword, needsRehash, verifyPassword } from "~/auth/password.server";

const saved = { nodeEnv: process.env.NODE_ENV, cheap: process.env.FIREBREAK_TEST_CHEAP_HASHING };
afterEach(() => {
  process.env.NODE_ENV = saved.nodeEnv;
  if (saved.cheap === undefined) delete process.env.FIREBREAK_TEST_CHEAP_HASHING;
  else process.env.FIREBREAK_TEST_CHEAP_HASHING = saved.cheap;
});

function parametersOf(passwordHash: string) {
  const { memoryCost, timeCost, parallelism } = parseOptions(passwordHash);
  return { memoryCost, timeCost, parallelism };
}

const POLICY = {
  memoryCost: ARGON2_OPTIONS.memoryCost,
  timeCost: ARGON2_OPTIONS.timeCost,
  parallelism: ARGON2_OPTIONS.parallelism,
};

describe("password hashing", () => {
  it("hashes and verifies with the policy's argon2id parameters (64 MiB, 3 passes, 1 lane)", async () => {
    delete process.env.FIREBREAK_TEST_CHEAP_HASHING;
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(parametersOf(stored)).toEqual({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });
    expect(await verifyPassword(stored, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(stored, "correct horse battery stapler")).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("uses the cheap test parameters only under NODE_ENV=test, and the policy rehashes their hashes", async () => {
    const cheap = await hashPassword("pw-under-test");
    expect(parametersOf(cheap)).not.toEqual(POLICY);
    expect(await verifyPassword(cheap, "pw-under-test")).toBe(true);
    expect(needsRehash(cheap)).toBe(false);

    process.env.NODE_ENV = "production";
    expect(parametersOf(await hashPassword("pw-in-production"))).toEqual(POLICY);
    // A production process that meets a cheap hash upgrades it at the next sign-in.
    expect(needsRehash(cheap)).toBe(true);
    expect(await verifyPassword(cheap, "pw-under-test")).toBe(true);
  });

  it("treats a malformed stored hash as a failed verification", async () => {
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
    expect(needsRehash("not-a-hash")).toBe(true);
  });
});

// The session table stores each token's SHA-256 (app/auth/session.server.ts). hashToken moved from @oslojs/crypto's
// JavaScript SHA-256 to Node's native one (ADR 101): every session and invite stored before must still be found, so
// the two digests must be the same text for any token.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { generateSessionToken, hashToken } from "~/auth/session.server";

const earlierHash = (token: string) => encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

describe("hashToken", () => {
  it("is SHA-256 in lower-case hex", () => {
    expect(hashToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(hashToken("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("gives the digest stored before for session tokens and for any text (kana, emoji, lone surrogates)", () => {
    for (let i = 0; i < 50; i++) {
      const token = generateSessionToken();
      expect(hashToken(token)).toBe(earlierHash(token));
    }
    fc.assert(fc.property(fc.string({ unit: "binary" }), (text) => hashToken(text) === earlierHash(text)));
  });
});

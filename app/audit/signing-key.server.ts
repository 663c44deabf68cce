// The Ed25519 key that signs audit checkpoints and export manifests. It is held outside the database on purpose: someone
// who can rewrite the database must not also be able to re-sign it.
//
//   FIREBREAK_AUDIT_SIGNING_KEY        the private key as PEM (PKCS#8; "\n" escapes allowed for one-line env files)
//   FIREBREAK_AUDIT_SIGNING_KEY_FILE   or a path to that PEM file (mode 0600, e.g. a mounted secret)
//   FIREBREAK_AUDIT_TRUSTED_KEYS       comma-separated paths of PEM public keys of retired signing keys, still trusted
//                                      when verifying older checkpoints (key rotation)
//
// Without configuration: development generates ./data/keys/audit-signing-key.pem on first use; tests use a fixed key
// derived in memory (the same in every test process); production refuses to sign, and says so, rather than invent a
// key nobody has recorded.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseAuditKeyEnv } from "~/env.server";
import {
  fingerprintOf,
  keyIdOf,
  publicKeyPem,
  readPublicKey,
  trustedKeysOf,
  type TrustedKeys,
} from "~/audit/signatures";

export const DEVELOPMENT_KEY_PATH = path.join("data", "keys", "audit-signing-key.pem");

export interface AuditSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  fingerprint: string;
  keyId: string;
  publicKeyPem: string;
  /** Where it came from, for the integrity page: "environment", a file path, or "in-memory test key". */
  source: string;
}

export class AuditKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuditKeyError";
  }
}

// Shared by the test's import and the copy bundled into build/index.js (both must sign with the same test key).
const state = globalThis as unknown as {
  firebreakAuditSigningKey?: AuditSigningKey;
  firebreakAuditTestKey?: KeyObject;
};

/** Describes a private key as a signing key (also for tests and tools that bring their own key). */
export function signingKeyFrom(privateKey: KeyObject, source: string): AuditSigningKey {
  if (privateKey.asymmetricKeyType !== "ed25519") {
    throw new AuditKeyError(`The audit signing key (${source}) is not an Ed25519 key.`);
  }
  const publicKey = createPublicKey(privateKey);
  const fingerprint = fingerprintOf(publicKey);
  return {
    privateKey,
    publicKey,
    fingerprint,
    keyId: keyIdOf(fingerprint),
    publicKeyPem: publicKeyPem(publicKey),
    source,
  };
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows it (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/**
 * Tests only: one fixed, publicly derivable key, so every test process (and the HTTP server inside it) signs with the
 * same key and a checkpoint made by one process verifies in another (the test, its in-process server, the CLI).
 */
function testSigningKey(): KeyObject {
  const seed = createHash("sha256").update("firebreak audit signing key — tests only, never for real data").digest();
  return createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
}

function parsePrivateKey(pem: string, source: string): KeyObject {
  try {
    return createPrivateKey(pem.replace(/\\n/g, "\n"));
  } catch {
    // Never echo the value: it is a secret.
    throw new AuditKeyError(`The audit signing key (${source}) is not a readable PEM private key.`);
  }
}

function loadOrCreateDevelopmentKey(file: string): KeyObject {
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    try {
      // "wx": two processes starting at once must not overwrite each other's freshly generated key.
      writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600, flag: "wx" });
      writeFileSync(file.replace(/\.pem$/, ".pub.pem"), publicKeyPem(publicKey), { mode: 0o644 });
      chmodSync(file, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return parsePrivateKey(readFileSync(file, "utf8"), file);
}

function loadFromEnvironment(): AuditSigningKey {
  const env = parseAuditKeyEnv();
  if (env.FIREBREAK_AUDIT_SIGNING_KEY) {
    return signingKeyFrom(
      parsePrivateKey(env.FIREBREAK_AUDIT_SIGNING_KEY, "FIREBREAK_AUDIT_SIGNING_KEY"),
      "environment",
    );
  }
  if (env.FIREBREAK_AUDIT_SIGNING_KEY_FILE) {
    const file = path.resolve(env.FIREBREAK_AUDIT_SIGNING_KEY_FILE);
    if (!existsSync(file))
      throw new AuditKeyError(`FIREBREAK_AUDIT_SIGNING_KEY_FILE points at ${file}, which does not exist.`);
    return signingKeyFrom(parsePrivateKey(readFileSync(file, "utf8"), file), file);
  }
  if (env.NODE_ENV === "test") {
    state.firebreakAuditTestKey ??= testSigningKey();
    return signingKeyFrom(state.firebreakAuditTestKey, "in-memory test key");
  }
  if (env.NODE_ENV === "production") {
    throw new AuditKeyError(
      "No audit signing key is configured: set FIREBREAK_AUDIT_SIGNING_KEY_FILE (or FIREBREAK_AUDIT_SIGNING_KEY). " +
        "Checkpoints and export manifests cannot be signed until then.",
    );
  }
  const file = path.resolve(DEVELOPMENT_KEY_PATH);
  return signingKeyFrom(loadOrCreateDevelopmentKey(file), file);
}

/** The signing key, loaded once per process. Throws AuditKeyError with a message fit for an operator. */
export function loadAuditSigningKey(): AuditSigningKey {
  state.firebreakAuditSigningKey ??= loadFromEnvironment();
  return state.firebreakAuditSigningKey;
}

/** The signing key, or why there is none (for pages that must still render without it). */
export function tryLoadAuditSigningKey(): { key: AuditSigningKey; error: null } | { key: null; error: string } {
  try {
    return { key: loadAuditSigningKey(), error: null };
  } catch (error) {
    if (error instanceof AuditKeyError) return { key: null, error: error.message };
    throw error;
  }
}

/** Public keys of retired signing keys (FIREBREAK_AUDIT_TRUSTED_KEYS). */
export function loadRetiredPublicKeys(source?: Record<string, string | undefined>): KeyObject[] {
  const list = parseAuditKeyEnv(source).FIREBREAK_AUDIT_TRUSTED_KEYS;
  if (!list) return [];
  return list
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .map((file) => {
      try {
        return readPublicKey(readFileSync(path.resolve(file), "utf8"));
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new AuditKeyError(`FIREBREAK_AUDIT_TRUSTED_KEYS: cannot use ${file} (${why}).`);
      }
    });
}

/** Every key a checkpoint may be signed with: the current one (if configured) and the retired ones. */
export function loadTrustedKeys(): TrustedKeys {
  const current = tryLoadAuditSigningKey().key;
  return trustedKeysOf([...(current ? [current.publicKey] : []), ...loadRetiredPublicKeys()]);
}

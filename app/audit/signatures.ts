// Ed25519 statements about the audit log: checkpoints ("row N of the chain had hash H") and export manifests ("this file
// is what the log held for this filter"). Shared by the server, `npm run audit:verify` and the offline export verifier,
// so it depends on nothing but node:crypto and the canonical JSON form. See docs/decisions/009-audit-checkpoints.md.
import { createHash, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { canonicalJson } from "~/audit/canonical";

// Domain separation: one key signs two kinds of statement, and a signature over one must never verify as the other.
export const CHECKPOINT_DOMAIN = "firebreak-audit-checkpoint/v1";
export const EXPORT_MANIFEST_DOMAIN = "firebreak-audit-export-manifest/v1";

export interface CheckpointStatement {
  seq: string;
  headHash: string;
  signedAt: string; // ISO 8601, UTC, milliseconds
  publicKeyFingerprint: string;
}

/** SHA-256 of the public key's DER (SubjectPublicKeyInfo) encoding, hex: how a key is named everywhere. */
export function fingerprintOf(publicKey: KeyObject): string {
  return createHash("sha256")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest("hex");
}

/** A short, human-sized label of a key for tables and logs. Always compare full fingerprints, never key ids. */
export function keyIdOf(fingerprint: string): string {
  return `ed25519:${fingerprint.slice(0, 16)}`;
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** Reads a PEM public key (or derives it from a PEM private key) and refuses anything that is not Ed25519. */
export function readPublicKey(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? "an unknown key type"}`);
  }
  return key;
}

function checkpointBytes(statement: CheckpointStatement): Buffer {
  return Buffer.from(
    `${CHECKPOINT_DOMAIN}\n${canonicalJson({
      seq: statement.seq,
      headHash: statement.headHash,
      signedAt: statement.signedAt,
      publicKeyFingerprint: statement.publicKeyFingerprint,
    })}`,
    "utf8",
  );
}

function manifestBytes(manifest: Record<string, unknown>): Buffer {
  return Buffer.from(`${EXPORT_MANIFEST_DOMAIN}\n${canonicalJson(manifest)}`, "utf8");
}

export function signCheckpoint(statement: CheckpointStatement, privateKey: KeyObject): string {
  return sign(null, checkpointBytes(statement), privateKey).toString("base64");
}

export function signManifest(manifest: Record<string, unknown>, privateKey: KeyObject): string {
  return sign(null, manifestBytes(manifest), privateKey).toString("base64");
}

function verifyBytes(bytes: Buffer, signature: string, publicKey: KeyObject): boolean {
  // A base64 string that does not decode to 64 bytes is simply not a valid signature (never an exception).
  const raw = Buffer.from(signature, "base64");
  if (raw.length !== 64) return false;
  try {
    return verify(null, bytes, publicKey, raw);
  } catch {
    return false;
  }
}

export function verifyCheckpointSignature(
  statement: CheckpointStatement,
  signature: string,
  publicKey: KeyObject,
): boolean {
  return verifyBytes(checkpointBytes(statement), signature, publicKey);
}

export function verifyManifestSignature(
  manifest: Record<string, unknown>,
  signature: string,
  publicKey: KeyObject,
): boolean {
  return verifyBytes(manifestBytes(manifest), signature, publicKey);
}

/** Trusted public keys by fingerprint: the current signing key plus any retired ones the operator still trusts. */
export type TrustedKeys = ReadonlyMap<string, KeyObject>;

export function trustedKeysOf(keys: KeyObject[]): TrustedKeys {
  return new Map(keys.map((key) => [fingerprintOf(key), key]));
}

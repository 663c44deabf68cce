// Encryption at rest for staff TOTP secrets: AES-256-GCM under FIREBREAK_TOTP_KEY. A database dump alone does not give
// an attacker anyone's second factor. Each ciphertext is bound to its purpose and owner through the GCM additional
// data ("staff:<id>", "enroll:<session id>"), so a ciphertext copied to another row or another session fails to decrypt.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "~/env.server";

// Development and tests only: a fixed key that anyone reading this file knows. env.server.ts refuses to boot in
// production without FIREBREAK_TOTP_KEY, and totpEncryptionKey() refuses to fall back to this there as well.
const DEVELOPMENT_ONLY_KEY = createHash("sha256")
  .update("firebreak DEVELOPMENT-ONLY TOTP key: public, never used in production")
  .digest();

const IV_BYTES = 12;

export function totpEncryptionKey(): Buffer {
  const { FIREBREAK_TOTP_KEY, NODE_ENV } = env();
  if (FIREBREAK_TOTP_KEY) return Buffer.from(FIREBREAK_TOTP_KEY, "base64");
  if (NODE_ENV === "production") throw new Error("FIREBREAK_TOTP_KEY is required in production");
  return DEVELOPMENT_ONLY_KEY;
}

/** "iv:ciphertext:tag", each base64. */
export function encryptSecret(secret: Uint8Array, binding: string, key = totpEncryptionKey()): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(binding, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [iv, ciphertext, tag].map((part) => part.toString("base64")).join(":");
}

/** The secret, or null when the value was tampered with, bound to something else, or encrypted under another key. */
export function decryptSecret(encrypted: string, binding: string, key = totpEncryptionKey()): Uint8Array | null {
  const parts = encrypted.split(":");
  if (parts.length !== 3) return null;
  const [iv, ciphertext, tag] = parts.map((part) => Buffer.from(part, "base64")) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== 16) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv);
    decipher.setAAD(Buffer.from(binding, "utf8"));
    decipher.setAuthTag(tag);
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    // GCM authentication failed: treat exactly like a missing secret.
    return null;
  }
}

export function staffSecretBinding(staffId: string): string {
  return `staff:${staffId}`;
}

// Ten single-use recovery codes, shown once at enrollment. Each carries 80 random bits, so a fast hash is enough:
// a slow password hash exists to make guessing *low-entropy* human passwords expensive, and 2^80 candidates per code
// are out of reach whatever the hash costs. SHA-256 over "staff id : code" also stops one precomputed table from
// serving every account. Online guessing is capped by the second-factor failure limit (5 per 30 minutes).
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { DbTx } from "~/db.server";

export const RECOVERY_CODE_COUNT = 10;
const CODE_BYTES = 10; // 80 bits → 16 base32 characters

export function generateRecoveryCode(): string {
  const bytes = new Uint8Array(CODE_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes).replace(/(.{4})(?!$)/g, "$1-");
}

/** Case, spaces and dashes do not matter when someone types a code back. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, "");
}

export function hashRecoveryCode(staffId: string, code: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`${staffId}:${normalizeRecoveryCode(code)}`)));
}

/** Replaces the staff member's codes with ten new ones and returns them in clear, to be shown exactly once. */
export async function issueRecoveryCodes(tx: DbTx, staffId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
  await tx.staffRecoveryCode.deleteMany({ where: { staffId } });
  await tx.staffRecoveryCode.createMany({
    data: codes.map((code) => ({ staffId, codeHash: hashRecoveryCode(staffId, code) })),
  });
  return codes;
}

/** Marks the code used in the same statement that checks it is unused: true once, false on every replay. */
export async function consumeRecoveryCode(tx: DbTx, staffId: string, code: string, at: Date): Promise<boolean> {
  if (!/^[a-z2-7]{16}$/.test(normalizeRecoveryCode(code))) return false;
  const { count } = await tx.staffRecoveryCode.updateMany({
    where: { staffId, codeHash: hashRecoveryCode(staffId, code), usedAt: null },
    data: { usedAt: at },
  });
  return count === 1;
}

export async function countUnusedRecoveryCodes(tx: DbTx, staffId: string): Promise<number> {
  return tx.staffRecoveryCode.count({ where: { staffId, usedAt: null } });
}

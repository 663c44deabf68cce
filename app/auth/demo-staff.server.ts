// One demo staff member per role for the embedded demo database, with credentials printed at start-up so anyone can
// sign in and try each role. The passwords and TOTP secrets are public by design (derived from fixed strings): this
// must never run against a real database, which is why only the embedded demo path calls it.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import { NO_ORIGIN, type Actor } from "~/audit/actor";
import { appendAuditEvents, type AuditEventInput } from "~/audit/audit-log.server";
import { hashPassword } from "~/auth/password.server";
import type { Role } from "~/auth/permissions";
import { encryptSecret, staffSecretBinding } from "~/auth/totp-key.server";
import { totpKeyUri } from "~/auth/totp.server";
import type { Db } from "~/db.server";
import { TRANSACTION_OPTIONS } from "~/db/transaction-options";
import { now } from "~/lib/clock.server";

const DEMO_ACTOR: Actor = { kind: "system", id: "system:demo-staff" };

const DEMO_STAFF: { role: Role; email: string; displayName: string }[] = [
  { role: "AGENT", email: "agent@firebreak.demo", displayName: "Aoi Sato (demo agent)" },
  { role: "SECURITY_LEAD", email: "lead@firebreak.demo", displayName: "Kenji Watanabe (demo security lead)" },
  { role: "COMPLIANCE", email: "compliance@firebreak.demo", displayName: "Yui Tanaka (demo compliance)" },
  { role: "ADMIN", email: "admin@firebreak.demo", displayName: "Hiro Suzuki (demo admin)" },
];

export interface DemoStaffCredentials {
  role: Role;
  email: string;
  displayName: string;
  password: string;
  /** Base32, for typing into an authenticator app. */
  totpSecret: string;
  otpauthUri: string;
  /** False when the member already existed (left untouched). */
  created: boolean;
}

export function demoPassword(role: Role): string {
  return `demo-${role.toLowerCase().replace("_", "-")}-2019!`;
}

export function demoTotpSecret(role: Role): Uint8Array {
  return sha256(new TextEncoder().encode(`firebreak demo TOTP secret for ${role}`)).slice(0, 20);
}

/** Creates the four demo members that do not exist yet (idempotent) and returns everyone's demo credentials. */
export async function createDemoStaff(prisma: Db): Promise<DemoStaffCredentials[]> {
  const hashes = await Promise.all(DEMO_STAFF.map((member) => hashPassword(demoPassword(member.role))));
  return prisma.$transaction(async (tx) => {
    const results: DemoStaffCredentials[] = [];
    const events: AuditEventInput[] = [];
    for (const [index, member] of DEMO_STAFF.entries()) {
      const secret = demoTotpSecret(member.role);
      const credentials = {
        ...member,
        password: demoPassword(member.role),
        totpSecret: encodeBase32NoPadding(secret),
        otpauthUri: totpKeyUri(member.email, secret),
      };
      const existing = await tx.staffUser.findUnique({ where: { email: member.email }, select: { id: true } });
      if (existing) {
        results.push({ ...credentials, created: false });
        continue;
      }
      const created = now();
      const staff = await tx.staffUser.create({
        data: {
          email: member.email,
          displayName: member.displayName,
          role: member.role,
          passwordHash: hashes[index]!,
          createdAt: created,
          totpEnrolledAt: created,
        },
      });
      await tx.staffUser.update({
        where: { id: staff.id },
        data: { totpSecretEncrypted: encryptSecret(secret, staffSecretBinding(staff.id)) },
      });
      events.push({
        actor: DEMO_ACTOR,
        origin: NO_ORIGIN,
        action: "staff.create-demo",
        outcome: "SUCCESS",
        targetType: "staff",
        targetId: staff.id,
        after: { email: member.email, role: member.role, totpEnrolled: true },
      });
      results.push({ ...credentials, created: true });
    }
    await appendAuditEvents(tx, events);
    return results;
  }, TRANSACTION_OPTIONS);
}

/** The lines start-up prints for the demo database. */
export function formatDemoStaffCredentials(staff: DemoStaffCredentials[]): string {
  return [
    "Demo staff (embedded demo database only; these credentials are public):",
    ...staff.map(
      (s) =>
        `  ${s.role.padEnd(13)} ${s.email.padEnd(26)} password ${s.password.padEnd(24)} TOTP secret ${s.totpSecret}`,
    ),
  ].join("\n");
}

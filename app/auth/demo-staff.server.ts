// One demo staff member per role, and a second admin, for the embedded demo database, with credentials printed at
// start-up so anyone can sign in and try each role. The passwords and TOTP secrets are public by design (derived from
// fixed strings): this must never run against a real database, which is why only the embedded demo path calls it.
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

// `key` derives the member's public password and TOTP secret; the first four are keyed by their role, so their
// credentials stay what earlier demo databases printed. Two admins, because granting a privileged role, or re-enabling
// a member who holds one, waits for a second admin (ADR 066): with one, a demo invitation of a lead would wait forever.
// Names as a Japanese team writes them: an English "(demo agent)" beside the role's badge was English on every
// Japanese page (the header, the assignee list, the staff page); the badge already says the role.
const DEMO_STAFF: { key: string; role: Role; email: string; displayName: string }[] = [
  { key: "AGENT", role: "AGENT", email: "agent@firebreak.demo", displayName: "佐藤 葵" },
  {
    key: "SECURITY_LEAD",
    role: "SECURITY_LEAD",
    email: "lead@firebreak.demo",
    displayName: "渡辺 健二",
  },
  {
    key: "COMPLIANCE",
    role: "COMPLIANCE",
    email: "compliance@firebreak.demo",
    displayName: "田中 結衣",
  },
  { key: "ADMIN", role: "ADMIN", email: "admin@firebreak.demo", displayName: "鈴木 博" },
  {
    key: "SECOND_ADMIN",
    role: "ADMIN",
    email: "admin2@firebreak.demo",
    displayName: "小林 恵美",
  },
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

export function demoPassword(key: string): string {
  return `demo-${key.toLowerCase().replaceAll("_", "-")}-2019!`;
}

export function demoTotpSecret(key: string): Uint8Array {
  return sha256(new TextEncoder().encode(`firebreak demo TOTP secret for ${key}`)).slice(0, 20);
}

/** Creates the demo members that do not exist yet (idempotent) and returns everyone's demo credentials. */
export async function createDemoStaff(prisma: Db): Promise<DemoStaffCredentials[]> {
  const hashes = await Promise.all(DEMO_STAFF.map((member) => hashPassword(demoPassword(member.key))));
  return prisma.$transaction(async (tx) => {
    const results: DemoStaffCredentials[] = [];
    const events: AuditEventInput[] = [];
    for (const [index, { key, ...member }] of DEMO_STAFF.entries()) {
      const secret = demoTotpSecret(key);
      const credentials = {
        ...member,
        password: demoPassword(key),
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

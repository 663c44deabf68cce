// The first admin, created from the command line (npm run staff:create-admin), and a way back in for an admin who
// lost access: only someone with shell access to the server can run it. It prints a one-time link; whoever opens it
// sets the password and enrols TOTP, exactly like an invited member.
import type { Actor } from "~/audit/actor";
import { NO_ORIGIN } from "~/audit/actor";
import { performAction } from "~/audit/perform-action.server";
import { issueInvite, type IssuedInvite } from "~/auth/invite.server";
import { normalizeEmail } from "~/auth/sign-in.server";
import { prisma } from "~/db.server";
import { now } from "~/lib/clock.server";
import { DomainError } from "~/lib/domain-error";

const CLI_ACTOR: Actor = { kind: "system", id: "system:staff-create-admin" };

export async function createBootstrapAdmin(input: {
  email: string;
  displayName?: string;
  /** Issue a new link for an existing admin instead of refusing. */
  reissue?: boolean;
}): Promise<{ staffId: string; created: boolean; invite: IssuedInvite }> {
  const email = normalizeEmail(input.email);
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    throw new DomainError("EMAIL_INVALID", `"${input.email}" is not an email address.`);
  }
  const existing = await prisma.staffUser.findUnique({ where: { email } });
  if (existing && !input.reissue) {
    throw new DomainError(
      "STAFF_EMAIL_TAKEN",
      `${email} already exists. Run again with --reissue to print a new one-time link for it.`,
      409,
    );
  }
  if (existing && (existing.role !== "ADMIN" || existing.disabledAt)) {
    throw new DomainError("NOT_AN_ACTIVE_ADMIN", `${email} is not an active admin; --reissue only serves admins.`, 409);
  }
  return performAction(
    { actor: CLI_ACTOR, origin: NO_ORIGIN },
    {
      action: existing ? "staff.invite.reissue" : "staff.create-admin",
      permission: null,
      targetType: "staff",
      targetId: existing?.id,
    },
    async (tx) => {
      const staff =
        existing ??
        (await tx.staffUser.create({
          data: {
            email,
            displayName: input.displayName?.trim() || email.split("@")[0]!,
            role: "ADMIN",
            createdAt: now(),
          },
        }));
      const invite = await issueInvite(tx, staff.id);
      return {
        result: { staffId: staff.id, created: !existing, invite },
        targetId: staff.id,
        after: { email, role: "ADMIN", linkExpiresAt: invite.expiresAt },
      };
    },
  );
}

// Sign-out ends the session on the server (deleting its row), not just in the browser.
import type { Origin } from "~/audit/actor";
import { performAction } from "~/audit/perform-action.server";
import { staffActor } from "~/auth/auth-audit.server";
import { readSessionToken } from "~/auth/cookie.server";
import { hashToken, validateStaffSessionToken } from "~/auth/session.server";

/** Ends the request's session if it has one; true when one was ended. */
export async function signOut(request: Request, origin: Origin): Promise<boolean> {
  const token = readSessionToken(request);
  const validated = token ? await validateStaffSessionToken(token) : null;
  if (!token || !validated) return false;
  const { staff, session } = validated;
  await performAction(
    { actor: staffActor(staff), origin },
    { action: "staff.sign-out", permission: null, targetType: "staff", targetId: staff.id },
    async (tx) => {
      await tx.staffSession.deleteMany({ where: { id: hashToken(token) } });
      return { result: undefined, after: { stage: session.stage } };
    },
  );
  return true;
}

// A staff member's own console language, stored on their profile and audited like every other staff change.
import { performAction } from "~/audit/perform-action.server";
import type { StaffContext } from "~/auth/guard.server";
import type { Language } from "~/i18n/config";

export async function changeOwnLanguage(ctx: StaffContext, language: Language): Promise<void> {
  await performAction(
    ctx,
    { action: "staff.language.change", permission: "console:view", targetType: "staff", targetId: ctx.staff.id },
    async (tx) => {
      // Scoped to the member themselves in the writing query: nobody changes another member's language.
      const before = await tx.staffUser.findUniqueOrThrow({ where: { id: ctx.staff.id }, select: { language: true } });
      await tx.staffUser.update({ where: { id: ctx.staff.id }, data: { language } });
      return { result: undefined, before: { language: before.language }, after: { language } };
    },
  );
}

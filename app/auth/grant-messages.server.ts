// What an admin who asked for a privileged grant is told (the invitation page and the member page say it alike).
import type { FiledGrant } from "~/auth/staff-grants.server";
import type { Language } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";

/** The grant waits; with nobody else to approve it, also how another admin comes about. */
export function grantFiledMessage(language: Language | undefined, grant: FiledGrant, what: string): string {
  const t = translatorFor(language, "admin");
  return grant.otherActiveAdmins === 0 ? `${what} ${t("grants.toast.onlyAdmin")}` : what;
}

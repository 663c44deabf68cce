// A refused second factor, said in the staff member's language (the domain's English message is for logs and tests).
import type { SecondFactorKind } from "~/auth/second-factor.server";
import type { Language } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { formatJst } from "~/lib/format";

export function secondFactorMessage(
  language: Language,
  result: { reason: "wrong-code" | "replayed" | "blocked"; blockedUntil: Date | null },
  kind: SecondFactorKind,
): string {
  const t = translatorFor(language, "auth");
  if (result.reason === "blocked" && result.blockedUntil) {
    return t("secondFactor.blocked", { until: formatJst(result.blockedUntil, language) });
  }
  // Blocked with no end: too many wrong sign-in codes in a row, until an admin unlocks the member.
  if (result.reason === "blocked") return t("secondFactor.lockedUntilUnlocked");
  if (result.reason === "replayed") return t("secondFactor.replayed");
  return kind === "totp" ? t("secondFactor.wrongTotp") : t("secondFactor.wrongRecovery");
}

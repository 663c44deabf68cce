// A loader's expected refusals as the answer the error page shows (app/root.tsx), one way for every route: a record
// that does not exist is a 404 (the page says "no such page" in the member's language), a read budget spent a 429 with
// its message in the member's language (ADR 075). Anything else is rethrown as it is.
import type { Language } from "~/i18n/config";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";

export function rethrowForErrorPage(error: unknown, language?: Language): never {
  if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
  if (isDomainError(error) && error.status === 429) {
    throw new Response(translateDomainError(language, error), { status: 429 });
  }
  throw error;
}

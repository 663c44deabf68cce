// Which language a request is answered in, and server-side translation.
//   A request with a session (any stage): the staff member's own choice, stored on their profile.
//   No session (sign-in, invite, password reset): the browser's Accept-Language, Japanese when it names neither.
import { createInstance, type i18n as I18n, type TFunction } from "i18next";
import { fixedT } from "~/i18n/fixed-t";
import { memoizeLabelLookups } from "~/i18n/memoized-t";
import { RemixI18Next } from "remix-i18next/server";
import { readSessionToken } from "~/auth/cookie.server";
import { hashToken } from "~/auth/session.server";
import { database } from "~/db.server";
import { isConnectionLoss } from "~/db/transient-errors";
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage, SUPPORTED_LANGUAGES, type Language } from "~/i18n/config";
import type { Namespace } from "~/i18n/resources";

async function findStaffLanguage(request: Request): Promise<string | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  try {
    const { rows } = await database.sql.query<{ language: string }>(
      `SELECT u.language FROM staff_session s JOIN staff_user u ON u.id = s.staff_id WHERE s.id = $1`,
      [hashToken(token)],
    );
    return rows[0]?.language ?? null;
  } catch (error) {
    // While the database is away the 503 page still renders, in the browser's language.
    if (isConnectionLoss(error)) return null;
    throw error;
  }
}

export const remixI18next = new RemixI18Next({
  detection: {
    supportedLanguages: [...SUPPORTED_LANGUAGES],
    fallbackLanguage: DEFAULT_LANGUAGE,
    // No search parameter or cookie: the profile is the one place a signed-in member's choice lives.
    order: ["custom", "header"],
    findLocale: findStaffLanguage,
  },
  i18next: i18nConfig,
});

export async function languageOf(request: Request): Promise<Language> {
  const detected = await remixI18next.getLocale(request);
  return isLanguage(detected) ? detected : DEFAULT_LANGUAGE;
}

const byBrowserOnly = new RemixI18Next({
  detection: { supportedLanguages: [...SUPPORTED_LANGUAGES], fallbackLanguage: DEFAULT_LANGUAGE, order: ["header"] },
  i18next: i18nConfig,
});

/**
 * The request's language for an answer given because the database did not answer: the member's own choice if the
 * database gives it within `withinMs`, else the browser's. The page that could not be answered has already waited
 * out its bounds; a server that has stopped answering must not make its 503 wait the same again.
 */
export async function languageOfWithin(request: Request, withinMs: number): Promise<Language> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const browser = new Promise<"browser">((resolve) => {
    timer = setTimeout(() => resolve("browser"), withinMs);
  });
  try {
    const first = await Promise.race([languageOf(request).catch(() => "browser" as const), browser]);
    if (first !== "browser") return first;
    const detected = await byBrowserOnly.getLocale(request);
    return isLanguage(detected) ? detected : DEFAULT_LANGUAGE;
  } finally {
    clearTimeout(timer);
  }
}

// One rendering instance per language, made once: the server never changes an instance's language (the browser's
// own instance follows a change, in an effect that does not run on the server), and the resources are in memory, so
// requests in one language can share it. Building one per request cost about 1 % of a page's server time (ADR 048).
const renderInstances = new Map<Language, I18n>();

/** The instance for rendering a page (react-i18next's provider needs one whose language is the request's). */
export function renderInstanceFor(language: Language): I18n {
  let instance = renderInstances.get(language);
  if (!instance) {
    instance = createInstance();
    void instance.init({ ...i18nConfig, lng: language });
    memoizeLabelLookups(instance);
    renderInstances.set(language, instance);
  }
  return instance;
}

/**
 * `t` for loaders, actions and domain services: `const t = translatorFor(ctx.staff.language, "killswitch")`.
 * Without a namespace, keys are read from "common" and other namespaces are written "ns:key".
 */
export const translatorFor = fixedT;

/** `t` for a request with no StaffContext (sign-in pages): the request's language. */
export async function translatorForRequest<N extends Namespace = "common">(
  request: Request,
  namespace?: N,
): Promise<TFunction<N>> {
  return translatorFor(await languageOf(request), namespace);
}

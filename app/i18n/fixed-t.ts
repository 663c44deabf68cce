// `t` bound to a language outside React: meta titles (browser and server) and, through i18next.server, loaders,
// actions and domain services. One instance holds every resource; getFixedT binds a language without changing the
// instance's own, so concurrent requests in different languages share it safely.
import { createInstance, type i18n as I18n, type ParseKeys, type TFunction } from "i18next";
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage, type Language } from "~/i18n/config";
import { memoizeLabelLookups } from "~/i18n/memoized-t";
import type { Namespace } from "~/i18n/resources";

let shared: I18n | undefined;
export function sharedI18n(): I18n {
  if (!shared) {
    shared = createInstance();
    void shared.init({ ...i18nConfig, lng: DEFAULT_LANGUAGE });
    memoizeLabelLookups(shared);
  }
  return shared;
}

export function fixedT<N extends Namespace = "common">(language: Language | undefined, namespace?: N): TFunction<N> {
  return sharedI18n().getFixedT(language ?? DEFAULT_LANGUAGE, namespace ?? "common") as TFunction<N>;
}

/** The language the root loader chose, read from a route's `matches` (meta functions have no hooks). */
export function languageOfMatches(matches: readonly { id: string; data?: unknown }[]): Language {
  const root = matches.find((match) => match.id === "root")?.data as { language?: unknown } | undefined;
  return isLanguage(root?.language) ? root.language : DEFAULT_LANGUAGE;
}

/**
 * For `export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "killswitch:title") }]`.
 */
export function pageTitle(matches: readonly { id: string; data?: unknown }[], key: ParseKeys<Namespace[]>): string {
  const t = fixedT(languageOfMatches(matches));
  return `${t(key as never)} · ${t("appName")}`;
}

// A message that is a key ("validation:required", "auth:validation.codeDigits") rather than a sentence.
const MESSAGE_KEY = /^[a-z][a-zA-Z]*:[A-Za-z0-9_.]+$/;

/** Translates a message that is a key; returns any other message unchanged (so English fallbacks still show). */
export function translateMessageIn(
  i18n: I18n,
  language: Language | undefined,
  message: string,
  params: Record<string, unknown> = {},
): string {
  const lng = language ?? DEFAULT_LANGUAGE;
  // With the params: a plural key exists only as its forms (tooShort_one, tooShort_other), found through count.
  if (!MESSAGE_KEY.test(message) || !i18n.exists(message, { ...params, lng })) return message;
  return String(i18n.t(message as never, { ...params, lng }));
}

// `t` bound to a language outside React: meta titles (browser and server) and, through i18next.server, loaders,
// actions and domain services. One instance holds every resource; getFixedT binds a language without changing the
// instance's own, so concurrent requests in different languages share it safely.
import { createInstance, type i18n as I18n, type ParseKeys, type TFunction } from "i18next";
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage, type Language } from "~/i18n/config";
import type { Namespace } from "~/i18n/resources";

let shared: I18n | undefined;
export function sharedI18n(): I18n {
  if (!shared) {
    shared = createInstance();
    void shared.init({ ...i18nConfig, lng: DEFAULT_LANGUAGE });
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

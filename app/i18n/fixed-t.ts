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

// A message that is a key ("validation:required", "auth:validation.codeDigits") rather than a sentence, optionally
// followed by its values (see messageWithValues).
const MESSAGE_KEY = /^([a-z][a-zA-Z]*:[A-Za-z0-9_.]+)(?:\|(\{.*\}))?$/s;
const VALUES_SEPARATOR = "|";

/**
 * A key and the values its label needs, as one string: "auth:passwordPolicy.tooShort|{"min":12}". For the channels that
 * carry only a string from where a rule is broken to where it is shown (a zod issue, a Conform reply, a DomainError's
 * message), so that the reader's language is chosen where it is known, in the browser as on the server.
 */
export function messageWithValues(key: string, values: Record<string, string | number>): string {
  return Object.keys(values).length === 0 ? key : `${key}${VALUES_SEPARATOR}${JSON.stringify(values)}`;
}

/** The key and values of a message written as a key (with or without values), or null for a sentence. */
export function readMessageKey(message: string): { key: string; values: Record<string, unknown> } | null {
  const match = MESSAGE_KEY.exec(message);
  if (!match) return null;
  if (!match[2]) return { key: match[1]!, values: {} };
  try {
    const values: unknown = JSON.parse(match[2]);
    if (typeof values !== "object" || values === null || Array.isArray(values)) return null;
    return { key: match[1]!, values: values as Record<string, unknown> };
  } catch {
    // Values that are not JSON: not a message key with values but text that looks like one, shown as it is.
    return null;
  }
}

/** Translates a message that is a key; returns any other message unchanged (so English fallbacks still show). */
export function translateMessageIn(
  i18n: I18n,
  language: Language | undefined,
  message: string,
  params: Record<string, unknown> = {},
): string {
  const lng = language ?? DEFAULT_LANGUAGE;
  const read = readMessageKey(message);
  if (!read) return message;
  const values = { ...read.values, ...params };
  // With the params: a plural key exists only as its forms (tooShort_one, tooShort_other), found through count.
  if (!i18n.exists(read.key, { ...values, lng })) return message;
  return String(i18n.t(read.key as never, { ...values, lng }));
}

// i18next's `t` walks its option handling, key parsing, resource look-up, nesting and post-processing on every call:
// about 6 % of a page's server CPU, although nearly every call on a page is a plain label whose answer never changes
// (the resources are in memory and never reloaded, and an instance's options never change after init). So a label's
// answer is kept after its first look-up; a call with anything that can change the answer (interpolation values,
// count, context, a default value, returnObjects, …) goes through i18next as before. See ADR 059.
import type { i18n as I18n } from "i18next";

/** The options getFixedT adds to every call: they choose the resource, nothing else. */
const LOOKUP_OPTIONS = new Set(["lng", "lngs", "ns", "keyPrefix"]);
/** Keys are literals in the code or built from a fixed set of codes (`kind.${kind}`): a bound never reached. */
const MAX_ENTRIES = 20_000;

function lookupId(key: unknown, options: unknown): string | null {
  if (typeof key !== "string") return null;
  if (options === undefined) return key;
  if (typeof options !== "object" || options === null) return null;
  let id = key;
  for (const name in options) {
    if (!LOOKUP_OPTIONS.has(name)) return null;
    const value = (options as Record<string, unknown>)[name];
    // react-i18next's useTranslation asks getFixedT for language `null` (the instance's own): i18next reads it as unset.
    if (value === undefined || value === null) continue;
    if (typeof value === "string") id += `\u0000${name}=${value}`;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string"))
      id += `\u0000${name}=${value.join(",")}`;
    else return null;
  }
  return id;
}

/** Makes `instance.t` (which getFixedT and so useTranslation's `t` call) answer a repeated plain label from memory. */
export function memoizeLabelLookups(instance: I18n): I18n {
  const translate = instance.t.bind(instance) as unknown as (...args: unknown[]) => unknown;
  const answers = new Map<string, string>();
  const memoized = (...args: unknown[]): unknown => {
    const id = args.length <= 2 ? lookupId(args[0], args[1]) : null;
    if (id === null) return translate(...args);
    const known = answers.get(id);
    if (known !== undefined) return known;
    const answer = translate(...args);
    if (typeof answer === "string" && answers.size < MAX_ENTRIES) answers.set(id, answer);
    return answer;
  };
  instance.t = memoized as unknown as I18n["t"];
  return instance;
}

// i18next's `t` walks its option handling, key parsing, resource look-up, nesting and post-processing on every call:
// about 6 % of a page's server CPU, although nearly every call on a page is a plain label whose answer never changes
// (the resources are in memory and never reloaded, and an instance's options never change after init). So a label's
// answer is kept after its first look-up (ADR 059). A call whose values only fill simple `{{name}}` placeholders (the
// timeline's sentences, a case's "opened at", the language switch's title) is answered by filling the kept label in
// (ADR 073): i18next's interpolation rebuilt its options and scanned the text with regular expressions for each, about
// as much again as all the plain labels of a page. Anything else — a count (plurals), a context, a default value, a
// formatted placeholder (`{{count, number}}`), nesting (`$t(…)`), a value that is not a string or a number, or one
// that itself holds `{{` — goes through i18next as before.
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

/** Makes `instance.t` (which getFixedT and so useTranslation's `t` call) answer a repeated plain label from memory,
 *  and fill a label's simple placeholders itself. */
export function memoizeLabelLookups(instance: I18n): I18n {
  const translate = instance.t.bind(instance) as unknown as (...args: unknown[]) => unknown;
  const answers = new Map<string, string>();
  const templates = new Map<string, Template | null>();
  // React escapes what it renders, so the console's instances never escape values (i18nConfig); an instance that does
  // keeps i18next's own interpolation.
  const fillsItself = instance.options.interpolation?.escapeValue === false;

  const plainAnswer = (id: string, key: string, options: unknown): unknown => {
    const known = answers.get(id);
    if (known !== undefined) return known;
    const answer = translate(key, options);
    if (typeof answer === "string" && answers.size < MAX_ENTRIES) answers.set(id, answer);
    return answer;
  };

  const filled = (key: string, options: Record<string, unknown>): string | null => {
    const split = valuesApart(key, options);
    if (split === null) return null;
    let template = templates.get(split.id);
    if (template === undefined) {
      const label = plainAnswer(split.id, key, split.lookup);
      template = typeof label === "string" ? templateOf(label) : null;
      if (templates.size < MAX_ENTRIES) templates.set(split.id, template);
    }
    return template === null ? null : fill(template, split.values);
  };

  const memoized = (...args: unknown[]): unknown => {
    if (args.length <= 2) {
      const id = lookupId(args[0], args[1]);
      if (id !== null) return plainAnswer(id, args[0] as string, args[1]);
      if (fillsItself && typeof args[0] === "string" && typeof args[1] === "object" && args[1] !== null) {
        const answer = filled(args[0], args[1] as Record<string, unknown>);
        if (answer !== null) return answer;
      }
    }
    return translate(...args);
  };
  instance.t = memoized as unknown as I18n["t"];
  return instance;
}

/** A label cut at its placeholders: text, name, text, name, …, text. */
interface Template {
  texts: string[];
  names: string[];
}

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9_]*)\}\}/g;

/** The label's parts, or null when anything but simple placeholders could be in play (formats, unescaped values,
 *  nesting): i18next handles those. */
function templateOf(label: string): Template | null {
  if (label.includes("$t(")) return null;
  const texts: string[] = [];
  const names: string[] = [];
  let from = 0;
  for (const match of label.matchAll(PLACEHOLDER)) {
    texts.push(label.slice(from, match.index));
    names.push(match[1]!);
    from = match.index! + match[0].length;
  }
  texts.push(label.slice(from));
  // Any other "{{" (a format such as {{count, number}}, an unescaped {{- value}}) is i18next's to read.
  if (texts.some((text) => text.includes("{{"))) return null;
  return { texts, names };
}

/** i18next's own options (and interpolation names it treats specially): a call with any of them is i18next's. */
const I18NEXT_OPTIONS = new Set([
  "count",
  "context",
  "ordinal",
  "replace",
  "defaultValue",
  "returnObjects",
  "returnDetails",
  "joinArrays",
  "postProcess",
  "interpolation",
  "skipInterpolation",
  "nest",
  "fallbackLng",
  "keySeparator",
  "nsSeparator",
]);

/** The call's look-up options (its memo id and the options to look the label up with) and its values; null when an
 *  option or a value could change more than the text filled in. */
function valuesApart(
  key: string,
  options: Record<string, unknown>,
): { id: string; lookup: Record<string, unknown>; values: Map<string, string> } | null {
  const lookup: Record<string, unknown> = {};
  const values = new Map<string, string>();
  for (const name in options) {
    const value = options[name];
    if (LOOKUP_OPTIONS.has(name)) lookup[name] = value;
    else if (I18NEXT_OPTIONS.has(name) || name.startsWith("defaultValue")) return null;
    // i18next turns a number into its plain string; an inserted "{{" would be matched again by its replace.
    else if (typeof value === "number") values.set(name, String(value));
    else if (typeof value === "string" && !value.includes("{{")) values.set(name, value);
    else return null;
  }
  const id = lookupId(key, lookup);
  return id === null ? null : { id, lookup, values };
}

/** The label with its placeholders filled, or null unless the values are exactly its placeholders. */
function fill(template: Template, values: Map<string, string>): string | null {
  if (template.names.length === 0) return null;
  for (const name of values.keys()) if (!template.names.includes(name)) return null;
  let text = template.texts[0]!;
  for (let i = 0; i < template.names.length; i++) {
    const value = values.get(template.names[i]!);
    if (value === undefined) return null;
    text += value + template.texts[i + 1]!;
  }
  return text;
}

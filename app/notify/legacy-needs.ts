// Skip reasons written before what a notice needs was kept as message keys: a MISSING_DATA row then held the
// worker's English, "the notice needs the incident reference; the customer's name". Such rows stay in the outbox (it
// is append-mostly history), so their phrases are read back into the keys they were made from, and the reader sees
// them in their language like a new row. A phrase that matches no known one leaves the whole detail as it is.
import enNotify from "~/i18n/locales/en/notify";
import { messageWithValues } from "~/i18n/fixed-t";
import { NEEDS_SEPARATOR } from "~/notify/notice-status";

const LEGACY_PREFIX = "the notice needs ";
// Each fixed English phrase (as the schemas wrote it then, the same text as notify:needs now) to its key.
const KEY_BY_PHRASE = new Map(
  Object.entries(enNotify.needs)
    .filter(([, phrase]) => !phrase.includes("{{"))
    .map(([name, phrase]) => [phrase, `notify:needs.${name}`]),
);
// zod's own messages were written with the field's path: "customer.name (required)".
const GENERIC = /^([\w.]+) \((required|expected .+|invalid .+)\)$/;

/** The keys of an old English "what the notice needs" detail, or null when it is not one (or not wholly known). */
export function legacyNeedsKeys(detail: string): string[] | null {
  if (!detail.startsWith(LEGACY_PREFIX)) return null;
  const keys = detail
    .slice(LEGACY_PREFIX.length)
    .split(NEEDS_SEPARATOR)
    .map((phrase) => {
      const generic = GENERIC.exec(phrase);
      return (
        KEY_BY_PHRASE.get(phrase) ?? (generic ? messageWithValues("notify:needs.value", { path: generic[1]! }) : null)
      );
    });
  return keys.every((key): key is string => key !== null) ? keys : null;
}

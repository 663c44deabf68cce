// What a form value may contain, shared by the server's form reader and the zod schemas (browser-safe). Postgres
// refuses NUL in text and a lone surrogate is not UTF-8, so either would reach the database as a driver error (a 500);
// the other control characters have no business in anything a person types and hide text in logs and exports.
import { z } from "zod";

export type HostileTextReason = "controlCharacters" | "malformedText";

// C0 controls except tab, line feed and carriage return (free-text notes keep their lines), DEL and the C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const LINE_BREAKS_AND_TABS = /[\t\n\r]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a value a person sent cannot be stored as text, or null when it can. */
export function findHostileText(value: string, options: { multiline?: boolean } = {}): HostileTextReason | null {
  if (LONE_SURROGATE.test(value)) return "malformedText";
  if (CONTROL_CHARACTERS.test(value)) return "controlCharacters";
  if (!options.multiline && LINE_BREAKS_AND_TABS.test(value)) return "controlCharacters";
  return null;
}

/**
 * A text field: trimmed, at most `max` characters, no control characters (line breaks and tabs only when
 * `multiline`, for free-text notes). Messages are validation:* keys, translated by localizeReply.
 */
export function formText(options: { max: number; min?: number; multiline?: boolean }) {
  const base = z.string().trim().max(options.max);
  const sized = options.min ? base.min(options.min) : base;
  return sized.superRefine((value, ctx) => {
    const reason = findHostileText(value, { multiline: options.multiline });
    if (reason) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `validation:${reason}` });
  });
}

/** An identifier field: a UUID, checked before any query sees it (a non-UUID in a uuid column is a driver error). */
export function uuidField() {
  return z.string().trim().uuid("validation:invalidUuid");
}

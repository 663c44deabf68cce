// What a form value may contain, shared by the server's form reader and the zod schemas (browser-safe). Postgres
// refuses NUL in text and a lone surrogate is not UTF-8, so either would reach the database as a driver error (a 500);
// the other control characters have no business in anything a person types and hide text in logs and exports.
import { z } from "zod";
import { hasDirectionControl } from "~/lib/direction-controls";

export type HostileTextReason = "controlCharacters" | "directionControls" | "malformedText" | "lineBreak";

// C0 controls except tab, line feed and carriage return (free-text notes keep their lines), DEL and the C1 controls.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
// What starts a new line: CR, LF and the Unicode line and paragraph separators (NEL, VT and FF are C1/C0 controls,
// refused everywhere). A single-line value (a name, a title, a reason, a mail subject) must hold none: a line break
// in a mail header is header injection, and in a log line or a CSV cell it forges a record.
const LINE_BREAKS = /[\n\r\u2028\u2029]/;
// The invisible marks, embeddings, overrides and isolates that reorder the text around them (direction-controls.ts):
// nothing typed into the console (Japanese or English) needs one.
const TAB = /\t/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a value a person sent cannot be stored as text, or null when it can. */
export function findHostileText(value: string, options: { multiline?: boolean } = {}): HostileTextReason | null {
  if (LONE_SURROGATE.test(value)) return "malformedText";
  if (CONTROL_CHARACTERS.test(value)) return "controlCharacters";
  if (hasDirectionControl(value)) return "directionControls";
  if (!options.multiline && LINE_BREAKS.test(value)) return "lineBreak";
  if (!options.multiline && TAB.test(value)) return "controlCharacters";
  return null;
}

/** The message (a validation:* key) for a line break in a single-line field. */
export const LINE_BREAK_MESSAGE = "validation:lineBreak";

/** True when the value would start a new line anywhere it is shown (CR, LF, U+2028, U+2029). */
export function hasLineBreak(value: string): boolean {
  return LINE_BREAKS.test(value);
}

export interface FormTextOptions {
  max: number;
  min?: number;
  /** Free text (notes, notice bodies): keeps line breaks and tabs. Without it the field is one line. */
  multiline?: boolean;
  /** A form's own messages (keys) for a missing, too short or too long value; zod's translated defaults otherwise. */
  messages?: { required?: string; min?: string; max?: string };
}

/**
 * The one way to declare a text field: trimmed, at most `max` characters, no control characters. A field is single
 * line unless it says `multiline` (free-text notes): a line break (CR, LF, U+2028, U+2029) is refused with
 * validation:lineBreak, a tab with validation:controlCharacters. Messages are keys, translated by localizeReply.
 */
export function formText(options: FormTextOptions) {
  const messages = options.messages ?? {};
  const base = z
    .string(messages.required ? { required_error: messages.required } : undefined)
    .trim()
    .max(options.max, messages.max);
  const sized = options.min ? base.min(options.min, messages.min) : base;
  return sized.superRefine((value, ctx) => {
    const reason = findHostileText(value, { multiline: options.multiline });
    if (reason) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `validation:${reason}` });
  });
}

/** An identifier field: a UUID, checked before any query sees it (a non-UUID in a uuid column is a driver error). */
export function uuidField() {
  return z.string().trim().uuid("validation:invalidUuid");
}

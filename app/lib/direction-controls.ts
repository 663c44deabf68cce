// The invisible marks, embeddings, overrides and isolates that reorder the text around them (U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069): shown as they are, "refund \u202E01 ¥" reads as another amount than it holds.
// Forms refuse them (form-text.ts), but text the console did not take from a form still reaches its pages: a request's
// User-Agent, a customer's name from the wallet, rows stored before the forms refused them. Where such text is shown
// for someone to judge (the audit trail), each control is made visible instead (RevealedText). Browser-safe.

const DIRECTION_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const DIRECTION_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function hasDirectionControl(value: string): boolean {
  return DIRECTION_CONTROL.test(value);
}

export type TextPart = { text: string } | { control: string };

/** The text cut at each direction control; a control is named by its code point ("U+202E"). */
export function splitAtDirectionControls(value: string): TextPart[] {
  const parts: TextPart[] = [];
  let from = 0;
  for (const match of value.matchAll(DIRECTION_CONTROLS)) {
    if (match.index > from) parts.push({ text: value.slice(from, match.index) });
    parts.push({ control: `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` });
    from = match.index + match[0].length;
  }
  if (from < value.length) parts.push({ text: value.slice(from) });
  return parts;
}

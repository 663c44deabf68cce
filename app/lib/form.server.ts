// The one way an action reads a posted form. Every text value is checked before any schema or query sees it: a
// control character, a malformed (lone surrogate) string or an absurdly long value is answered with a 400 that names
// the field, and nothing runs. The value itself is never repeated (not to the page, not to the log). A test walks
// app/routes so that no action reads request.formData() around this.
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import type { Language } from "~/i18n/config";
import { localizeReply, translateMessage, zodErrorMapFor } from "~/i18n/translate.server";
import { findHostileText } from "~/lib/form-text";

// No field of the console needs more (the longest, a pasted customer list, is capped at 400,000 by its schema); the
// request body limit is 1 MiB.
export const MAX_FORM_VALUE_LENGTH = 500_000;
// A field name is shown in the message; a hostile name is cut so that the answer stays small.
const MAX_SHOWN_NAME_LENGTH = 40;

/** The reason a form cannot be read at all, or null. Names are checked like values. */
export function findHostileFormEntry(form: FormData): { field: string; key: string } | null {
  for (const [name, value] of form) {
    const nameReason = findHostileText(name);
    if (nameReason) return { field: "", key: `validation:${nameReason}` };
    if (typeof value !== "string") continue;
    // Tabs and line breaks are allowed here (free-text notes); single-line fields refuse them in their schema.
    const reason = findHostileText(value, { multiline: true });
    if (reason) return { field: name, key: `validation:${reason}` };
    if (value.length > MAX_FORM_VALUE_LENGTH) return { field: name, key: "validation:formValueTooLong" };
  }
  return null;
}

/** The posted form, or a thrown 400 naming the first field that no schema could safely read. */
export async function readForm(request: Request, language?: Language): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response(translateMessage(language, "validation:unreadableForm"), { status: 400 });
  }
  const hostile = findHostileFormEntry(form);
  if (hostile) {
    const field = hostile.field.slice(0, MAX_SHOWN_NAME_LENGTH);
    const problem = translateMessage(language, hostile.key, { count: MAX_FORM_VALUE_LENGTH });
    throw new Response(translateMessage(language, "validation:fieldRefused", { field, problem }), { status: 400 });
  }
  return form;
}

/** The message for a field whose value is not an identifier the console issued. */
export function refusedField(language: Language | undefined, field: string): string {
  const problem = translateMessage(language, "validation:invalidUuid");
  return translateMessage(language, "validation:fieldRefused", {
    field: field.slice(0, MAX_SHOWN_NAME_LENGTH),
    problem,
  });
}

/**
 * readForm, then the schema through Conform. Messages are in the member's language: zod's own through the error map,
 * a schema's keys ("validation:controlCharacters") and a DomainError's key-messages when the reply is built.
 */
export async function parseForm<Schema extends z.ZodTypeAny>(request: Request, schema: Schema, language?: Language) {
  return parseFormData(await readForm(request, language), schema, language);
}

/** For an action that looks at the form (an intent, a form id) before parsing it: the form must come from readForm. */
export function parseFormData<Schema extends z.ZodTypeAny>(form: FormData, schema: Schema, language?: Language) {
  const submission = parseWithZod(form, { schema, errorMap: zodErrorMapFor(language) });
  const reply = submission.reply.bind(submission) as (options?: object) => SubmissionResult<string[]>;
  return Object.assign(submission, {
    reply: (options?: object) => localizeReply(language, reply(options)),
  }) as typeof submission;
}

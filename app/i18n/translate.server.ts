// Server-side messages in the staff member's language: DomainErrors, Conform/zod replies, toasts.
import type { SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { DEFAULT_LANGUAGE, type Language } from "~/i18n/config";
import { readMessageKey, sharedI18n, translateMessageIn } from "~/i18n/fixed-t";
import type { DomainError } from "~/lib/domain-error";

/** Translates a message that is a key; returns any other message unchanged (so English fallbacks still show). */
export function translateMessage(
  language: Language | undefined,
  message: string,
  params: Record<string, unknown> = {},
): string {
  return translateMessageIn(sharedI18n(), language, message, params);
}

/** The DomainError's message in the member's language: errors:<code> when that key exists, else its own message. */
/** "validation:required": a message written as a key (with or without its values), to be looked up, not shown. */
function isTranslationKey(message: string): boolean {
  return readMessageKey(message) !== null;
}

export function translateDomainError(language: Language | undefined, error: DomainError): string {
  const i18n = sharedI18n();
  const lng = language ?? DEFAULT_LANGUAGE;
  const lists = Object.entries(error.listParams);
  if (lists.length > 0) {
    const key = `errors:${error.code}`;
    const separator = translateMessage(language, "common:listSeparator");
    const values: Record<string, unknown> = { ...error.params };
    for (const [name, keys] of lists) values[name] = keys.map((k) => translateMessage(language, k)).join(separator);
    if (i18n.exists(key, { lng })) return String(i18n.t(key as never, { ...values, lng }));
  }
  // A service that names its message by key names the exact rule broken: it says more than the code's sentence.
  if (isTranslationKey(error.message)) return translateMessage(language, error.message, error.params);
  // The service's own English is exact (several services share a code with different sentences, e.g. a closed account
  // that cannot change status, and one that cannot be reset): English readers get it as written.
  if (lng === "en") return error.message;
  const key = `errors:${error.code}`;
  if (i18n.exists(key, { lng })) return String(i18n.t(key as never, { ...error.params, lng }));
  return translateMessage(language, error.message, error.params);
}

/** A Conform reply whose messages (keys from schemas, zod defaults from zodErrorMap) are in the member's language. */
export function localizeReply<T extends SubmissionResult<string[]>>(language: Language | undefined, result: T): T {
  if (!result.error) return result;
  const error: Record<string, string[] | null> = {};
  for (const [field, messages] of Object.entries(result.error)) {
    error[field] = messages ? messages.map((message) => translateMessage(language, message)) : messages;
  }
  return { ...result, error };
}

/**
 * For `parseWithZod(formData, { schema, errorMap: zodErrorMapFor(language) })`: zod's built-in messages in the
 * member's language. A schema's own message is kept as written (write it as a key) and translated by localizeReply.
 */
export function zodErrorMapFor(language: Language | undefined): z.ZodErrorMap {
  const say = (key: string, params: Record<string, unknown> = {}) => ({
    message: translateMessage(language, `validation:${key}`, params),
  });
  return (issue, ctx) => {
    // zod applies this map last, with the message the schema itself gave (required_error, invalid_type_error, a
    // .min(…, "key")) as ctx.defaultError: keep a schema's own message, replace only zod's built-in English.
    const builtIn = z.defaultErrorMap(issue, { data: ctx.data, defaultError: "" }).message;
    if (ctx.defaultError !== builtIn) return { message: ctx.defaultError };
    switch (issue.code) {
      case z.ZodIssueCode.invalid_type:
        if (issue.expected === "integer") return say("notInteger");
        return issue.received === "undefined" || issue.received === "null" ? say("required") : say("invalidType");
      case z.ZodIssueCode.invalid_enum_value:
      case z.ZodIssueCode.invalid_union_discriminator:
      case z.ZodIssueCode.invalid_literal:
        return say("invalidEnum");
      case z.ZodIssueCode.too_small:
        if (issue.type === "string" || issue.type === "array") {
          return Number(issue.minimum) <= 1 ? say("required") : say("tooShort", { count: Number(issue.minimum) });
        }
        return say("tooSmall", { minimum: Number(issue.minimum) });
      case z.ZodIssueCode.too_big:
        if (issue.type === "string" || issue.type === "array") return say("tooLong", { count: Number(issue.maximum) });
        return say("tooBig", { maximum: Number(issue.maximum) });
      case z.ZodIssueCode.invalid_string:
        if (issue.validation === "email") return say("invalidEmail");
        if (issue.validation === "uuid") return say("invalidUuid");
        return say("invalid");
      case z.ZodIssueCode.invalid_date:
        return say("invalidDate");
      default:
        return { message: ctx.defaultError };
    }
  };
}

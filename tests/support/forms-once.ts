// The one-time form key's tests (ADRs 105, 108, 112): the key a page rendered into a form, and a form posted twice at
// once and then again, as a double click and a resend after a lost answer do.
import type { StaffClient } from "./staff";

/** The one-time key the page rendered into the form named `formKey`, as the browser would post it back. */
export function submissionKeyOf(html: string, formKey: string): string {
  const found = new RegExp(
    `name="formKey" value="${formKey}"/><input type="hidden" name="submissionKey" value="([0-9a-f-]{36})"`,
  ).exec(html)?.[1];
  if (!found) throw new Error(`the page's ${formKey} form has no submission key`);
  return found;
}

/** The form posted twice at once, then once more: the three answers in that order. */
export async function doublePostThenResend(client: StaffClient, page: string, form: Record<string, string>) {
  const together = await Promise.all([client.post(page, form), client.post(page, form)]);
  const again = await client.post(page, form);
  return [...together, again];
}

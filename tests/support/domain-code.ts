// What a domain call ended in, as a string a test can compare: the DomainError's code, or "ACCEPTED" when it returned.
// Any other error is a defect in the test's subject and is rethrown.
import { DomainError } from "~/lib/domain-error";

export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return "ACCEPTED";
}

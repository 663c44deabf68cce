// A customer is never kept waiting for a connection (docs/decisions/114-connection-budget-and-a-full-customers-pool.md):
// the customers' pool refuses a borrower it cannot serve within FIREBREAK_CUSTOMER_POOL_WAIT_MS, and the request is
// answered "busy, try again in a moment" with nothing changed, instead of waiting for whichever holder lets go first.
import { isOverloaded } from "~/db/transient-errors";
import { DomainError } from "~/lib/domain-error";
import { CustomerAuthRefusal } from "~/wallet/customer-auth-errors";

/** What a customer is told to wait before trying again, in seconds (the Retry-After of a busy answer). */
export const BUSY_RETRY_AFTER_SECONDS = 5;

/** Whether `error` is the busy refusal, so a page can say it in the customer's language with Retry-After. */
export function isCustomerServiceBusy(error: unknown): boolean {
  return error instanceof DomainError && error.code === "CUSTOMER_SERVICE_BUSY";
}

/** Runs `work`; a pool that had no connection free within its wait becomes the busy refusal (503). */
export async function refusedWhenBusy<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof DomainError) && isOverloaded(error)) throw new CustomerAuthRefusal("CUSTOMER_SERVICE_BUSY");
    throw error;
  }
}

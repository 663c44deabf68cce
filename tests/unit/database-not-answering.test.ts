// Which failures say "the database is not answering" (a 503 with that message, docs/decisions/080-read-bounds.md) and
// which of them are also a lost connection (what the workers retry on a new connection).
import { describe, expect, it } from "vitest";
import { DatabaseNotAnsweringError } from "~/db/bounded-client.server";
import { isConnectionLoss, isDatabaseNotAnswering } from "~/db/transient-errors";

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("a database that did not answer", () => {
  it("a connection closed for want of an answer is both: the page says so, a worker retries", () => {
    const error = new DatabaseNotAnsweringError(35_000);
    expect(isDatabaseNotAnswering(error)).toBe(true);
    expect(isConnectionLoss(error)).toBe(true);
    // As Prisma wraps it: the code on the cause.
    expect(isDatabaseNotAnswering(new Error("Invalid invocation", { cause: error }))).toBe(true);
  });

  it("a statement or lock timeout is not answering, on a connection that is still there", () => {
    for (const error of [
      pgError("57014", "canceling statement due to statement timeout"),
      pgError("55P03", "canceling statement due to lock timeout"),
    ]) {
      expect(isDatabaseNotAnswering(error)).toBe(true);
      expect(isConnectionLoss(error)).toBe(false);
    }
  });

  it("an interactive transaction that outlasted its timeout is not answering (rolled back: try again)", () => {
    const expired = pgError(
      "P2028",
      "Transaction API error: A query cannot be executed on an expired transaction. The timeout for this transaction " +
        "was 5000 ms, however 5770 ms passed since the start of the transaction.",
    );
    expect(
      isDatabaseNotAnswering(new Error("Invalid `tx.contactChange.findFirst()` invocation", { cause: expired })),
    ).toBe(true);
    expect(isConnectionLoss(expired)).toBe(false);
    // Other transaction API errors (a transaction used after its own commit: a defect) stay a 500.
    expect(isDatabaseNotAnswering(pgError("P2028", "Transaction API error: Transaction not found."))).toBe(false);
  });

  it("a refused or terminated connection is the database away, not a database that does not answer", () => {
    for (const error of [
      pgError("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:5432"),
      pgError("57P01", "terminating connection due to administrator command"),
    ]) {
      expect(isConnectionLoss(error)).toBe(true);
      expect(isDatabaseNotAnswering(error)).toBe(false);
    }
  });
});

// A loader's refusals as the error page's answers (app/lib/error-page-response.server.ts): a missing record is a 404,
// a spent read budget a 429 in the member's language, and anything else goes on as it was thrown.
import { describe, expect, it } from "vitest";
import jaErrors from "~/i18n/locales/ja/errors";
import { DomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";

function thrown(error: unknown, language?: "ja" | "en"): unknown {
  try {
    rethrowForErrorPage(error, language);
  } catch (answer) {
    return answer;
  }
  throw new Error("rethrowForErrorPage returned");
}

describe("rethrowForErrorPage", () => {
  it("answers a record that does not exist with a 404", () => {
    const answer = thrown(new DomainError("CUSTOMER_NOT_FOUND", "No such customer.", 404), "ja");
    expect(answer).toBeInstanceOf(Response);
    expect((answer as Response).status).toBe(404);
  });

  it("answers a spent read budget with a 429 in the member's language", async () => {
    const refusal = new DomainError("STAFF_READ_RATE_LIMITED", "Too many customer searches.", 429);
    const answer = thrown(refusal, "ja") as Response;
    expect(answer.status).toBe(429);
    expect(await answer.text()).toBe(jaErrors.STAFF_READ_RATE_LIMITED);
  });

  it("rethrows every other error as it is", () => {
    const denied = new DomainError("PERMISSION_DENIED", "No.", 403);
    const defect = new TypeError("a defect");
    expect(thrown(denied, "ja")).toBe(denied);
    expect(thrown(defect)).toBe(defect);
  });
});

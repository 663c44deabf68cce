// "No 500 for anything a user can type", checked across the whole console rather than route by route: every route in
// app/routes is requested over HTTP with hostile path segments, query strings and form bodies (NUL bytes, numbers too
// large for any column, unparsable dates, inverted ranges, injection text, invalid UTF-8, very long values) by a
// stepped-up security lead (the role that reaches the most routes), a stepped-up admin on the admin pages, and a
// stranger on the sign-in flow. Each answer may refuse, redirect or say "not found", but never fail with a 5xx. New
// routes are picked up from the file system automatically, and every field of every form the pages render (read from
// their HTML, on pages about real records) is swept on its own, so a new field or form is covered without listing it.
//
// The passes over the routes are split by route into tests/integration/hostile-input-routes-<n>-http.test.ts, so that
// the suite's workers share them (tests/support/hostile-input-routes.ts); the machinery is tests/support/hostile-input*.ts.
// This file: every form the pages render, and the perimeter's own answers.
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../scripts/lib/http-server";
import { expectConsoleErrors } from "../support/console-errors";
import { expectNoServerError, sweepSession, SWEEP_TIMEOUT_MS, registerSweepSession } from "../support/hostile-input";
import { sweepRenderedForms } from "../support/hostile-input-forms";

registerSweepSession();

describe("hostile input never produces a 5xx", () => {
  it(
    "in every field of every form the pages render, one field at a time, and each field twice",
    { timeout: SWEEP_TIMEOUT_MS },
    async () => {
      // A select sent twice is refused (400) and the form shown again with what was sent, an array: React's development
      // build warns that a single select's value should be one value. The production build says nothing.
      expectConsoleErrors(/The `defaultValue` prop supplied to <select> must be a scalar value/);
      const swept = await sweepRenderedForms();
      // The discovery found the forms the audit's 500s came from (a test that cannot fail is a defect).
      for (const expected of [
        "/accounts/:id/reverse note",
        "/accounts/:id/reverse reasonCode",
        "/notifications customers",
        "/admin/service-tokens description",
      ]) {
        expect([...swept]).toContain(expected);
      }
    },
  );

  it("in the old `?_data` parameter, which Remix still reads: answered, never a 5xx or an error in the log", async () => {
    const { lead, stranger } = sweepSession();
    for (const value of ["routes/accounts._index", "root", "evil", "a\u0000b"]) {
      const query = new URLSearchParams({ _data: value }).toString();
      for (const client of [lead, stranger]) {
        await expectNoServerError(`GET /accounts?_data=${JSON.stringify(value)}`, () =>
          client.get(`/accounts?${query}`),
        );
      }
    }
  });

  it("in a body larger than any form: refused with 413 before it is read, and the connection closed", async () => {
    const { lead } = sweepSession();
    const response = await lead.request("/reversals/bulk", {
      method: "POST",
      body: new URLSearchParams({ customers: "a".repeat(MAX_BODY_BYTES) }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("connection")).toBe("close");
    expect(await response.text()).toContain("Request too large");
    // The next request is answered as usual.
    expect((await lead.get("/")).status).toBe(200);
  });
});

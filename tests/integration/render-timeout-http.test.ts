// A page whose streamed part outlasts the server's render limit is still a page. /policies streams its wave tables,
// seconds of backtesting the first time in a process; the server stops rendering what is still pending after a delay
// (six seconds; FIREBREAK_TEST_RENDER_ABORT_MS shortens it here) and leaves it to the browser. Browsers get the shell
// at once; scripts and crawlers are answered only once everything is rendered, and that abort used to count as a
// failure of the page: a 500 on a loaded machine, where the backtests run long.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposePolicy } from "~/detect/policies.server";
import { translatorFor } from "~/i18n/i18next.server";
import { expectConsoleErrors } from "../support/console-errors";
import { startHttpApp, type TestHttpApp } from "../support/http-app";
import { createStaff, signIn, type StaffClient, staffContext } from "../support/staff";

const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
const t = translatorFor("en", "detect");

describe("a streamed part that outlasts the render limit", () => {
  let app: TestHttpApp;
  let lead: StaffClient;

  beforeAll(async () => {
    app = await startHttpApp();
    lead = await signIn(app, await createStaff({ role: "SECURITY_LEAD" }));
    // A live policy, so the page streams its wave tables.
    await proposePolicy(staffContext("SECURITY_LEAD", { steppedUp: true }), {
      detector: "failed-signin-rate",
      minSeverity: "MEDIUM",
      switchKey: "topup.credit_card",
    });
    process.env.FIREBREAK_TEST_RENDER_ABORT_MS = "50";
  });

  afterAll(async () => {
    delete process.env.FIREBREAK_TEST_RENDER_ABORT_MS;
    await app?.close();
  });

  it("answers a script the whole page with 200, the unfinished part left to the browser", async () => {
    // React's development build (the one tests run) reports a check of its own when an abort lands while the page is
    // still rendering; its production build does not contain that check. Timing decides whether it fires, not the page.
    expectConsoleErrors(/There was still abortable task at the root when we closed/);
    // The first /policies of this process: its backtests take seconds, far past the 50 ms limit.
    const response = await lead.get("/policies");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(t("policies.title"));
    expect(html).toContain(t("policies.waves.computing"));
  });

  it("answers a browser 200 too", async () => {
    const response = await lead.get("/policies", { headers: { "user-agent": BROWSER } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(t("policies.title"));
  });
});

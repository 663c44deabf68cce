// The `test` every spec uses: Playwright's, plus a check that runs after each test and fails it on any error the browser
// reported (a console error, an uncaught exception: a hydration mismatch, a crashed island, a failed request) that the
// test did not announce with `browserErrors.allow(/pattern/)`. A page can look right and still be broken underneath.
// Pages the test opens in contexts of its own are not watched here (auth.spec.ts watches those itself).
import { expect, test as base } from "@playwright/test";

export interface BrowserErrors {
  /** Errors matching this pattern are expected in this test (a refused request it provokes on purpose, say). */
  allow(pattern: RegExp): void;
}

export const test = base.extend<{ browserErrors: BrowserErrors }>({
  browserErrors: [
    async ({ context }, use) => {
      const allowed: RegExp[] = [];
      const errors: string[] = [];
      const record = (text: string) => {
        if (!allowed.some((pattern) => pattern.test(text))) errors.push(text);
      };
      context.on("console", (message) => {
        if (message.type() === "error") record(`${message.text()} (${message.location().url})`);
      });
      context.on("weberror", (webError) => record(`uncaught: ${webError.error().message}`));
      await use({ allow: (pattern) => allowed.push(pattern) });
      expect(errors, "the browser reported errors this test did not expect").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

// The hostile-input sweep's passes over one part of the routes (tests/support/hostile-input.ts): each file
// tests/integration/hostile-input-routes-<n>-http.test.ts declares its part with this, so the suite's workers share the
// routes while every file runs the same passes (tests/integration/hostile-input-http.test.ts says what they prove).
import { describe, expect, it } from "vitest";
import {
  actionRoutes,
  INTENTS,
  refreshSweepStepUp,
  SWEEP_TIMEOUT_MS,
  registerSweepSession,
  type Shard,
} from "./hostile-input";
import {
  expectKnownReadsSeen,
  sweepActionBodies,
  sweepIntents,
  sweepOtherBodyTypes,
  sweepPathSegments,
  sweepQueryStrings,
  sweepSingleQueryParameters,
} from "./hostile-input-passes";

/** How many parts the routes are swept in, one file each. */
export const ROUTE_PARTS = 4;

export function describeHostileInputOnRoutes(part: number): void {
  const shard: Shard = { part: part - 1, of: ROUTE_PARTS };
  registerSweepSession();

  describe(`hostile input never produces a 5xx (the routes of part ${part} of ${ROUTE_PARTS})`, () => {
    it("in a path segment of every dynamic route", () => sweepPathSegments(shard));

    it("in the query string of every page", { timeout: SWEEP_TIMEOUT_MS }, () => sweepQueryStrings(shard));

    it(
      "in any one query parameter on its own (so no route refuses the rest first)",
      { timeout: SWEEP_TIMEOUT_MS },
      async () => {
        // The pages known to read a parameter were seen reading it (a test that cannot fail is a defect).
        expectKnownReadsSeen(await sweepSingleQueryParameters(shard), shard);
      },
    );

    it("in the form body of every action", { timeout: SWEEP_TIMEOUT_MS }, () => sweepActionBodies(shard));

    it(
      "in every field beside each intent a form can name (past the intent)",
      { timeout: SWEEP_TIMEOUT_MS },
      async () => {
        // Step-up lasts five minutes and the passes before this one can take longer on a busy machine: without a fresh
        // one, the step-up actions would stop at the step-up check and their hostile values would never reach a parser.
        await refreshSweepStepUp();
        const planned = await sweepIntents(shard);
        // Every intent is sent by one part or another, and the routes' own intents were found (a test that cannot fail
        // is a defect).
        expect([...planned].sort()).toEqual(INTENTS);
        const killSwitches = actionRoutes().find(({ url }) => url === "/kill-switches")!;
        expect(killSwitches.intents.length).toBeGreaterThan(2);
        expect(killSwitches.formReaderOnly).toBe(true);
        // The service API reads its body itself: it gets every intent with a NUL as well.
        expect(actionRoutes().find(({ url }) => url === "/api/v1/kill-switches/ack")!.formReaderOnly).toBe(false);
      },
    );

    it("in a body of another type than a form's, or a malformed one", () => sweepOtherBodyTypes(shard));
  });
}

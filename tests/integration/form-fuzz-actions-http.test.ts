// Generated hostile forms (tests/support/form-fuzz.ts) posted to every route with an action, by a signed-in,
// stepped-up member of each role (a browser without a session on the sign-in flow): never a 5xx, and nothing changed
// unless an audited success says so. Seeded and bounded: FIREBREAK_FUZZ_SEED and FIREBREAK_FUZZ_RUNS draw others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp } from "../support/http-app";
import {
  bodyArbitrary,
  callersOf,
  fuzz,
  fuzzRoutes,
  keepSteppedUp,
  sendBody,
  signInEveryRole,
  countRows,
  unauditedChanges,
  type FuzzCallers,
} from "../support/form-fuzz";
import { createStore } from "../support/ledger-fixtures";
import { prisma } from "~/db.server";

let callers: FuzzCallers;

beforeAll(async () => {
  callers = await signInEveryRole(await startHttpApp());
});
afterAll(() => callers?.app.close());

describe("generated hostile forms, posted as every role", () => {
  it("would see a change no audited success accounts for (the check can fail)", async () => {
    const before = await countRows();
    await createStore(prisma);
    expect(unauditedChanges(before, await countRows())).toEqual(
      expect.arrayContaining([expect.stringMatching(/^store \+1$/)]),
    );
  });

  it("never answer with a 5xx, and change nothing without an audited success", { timeout: 15 * 60_000 }, async () => {
    const routes = fuzzRoutes(true);
    // The routes were found, the ones known to tell intents apart with theirs (a test that cannot fail is a defect).
    expect(routes.map(({ url }) => url)).toEqual(expect.arrayContaining(["/kill-switches", "/admin/staff"]));
    expect(routes.find(({ url }) => url === "/kill-switches")!.intents).toContain("engage");
    const problems: string[] = [];
    for (const [index, route] of routes.entries()) {
      await keepSteppedUp(callers);
      const arbitrary = bodyArbitrary(route.fields, route.intents);
      for (const [offset, { label, client }] of callersOf(route, callers).entries()) {
        const found = await fuzz(
          `POST ${route.url} as ${label}`,
          arbitrary,
          (body) => sendBody(client, route.url, body),
          index * 10 + offset,
        );
        problems.push(...found);
      }
    }
    expect(problems).toEqual([]);
  });
});

// Generated hostile query strings (tests/support/form-fuzz.ts) on every page and its data request, as a signed-in
// member of each role (a browser without a session on the sign-in flow): never a 5xx, and nothing changed unless an
// audited success says so. Seeded and bounded: FIREBREAK_FUZZ_SEED and FIREBREAK_FUZZ_RUNS draw others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHttpApp } from "../support/http-app";
import { dataPath } from "../support/single-fetch";
import {
  callersOf,
  encodePairs,
  fuzz,
  fuzzRoutes,
  queryArbitrary,
  RUNS_PER_ROUTE,
  signInEveryRole,
  type FuzzCallers,
} from "../support/form-fuzz";

let callers: FuzzCallers;

beforeAll(async () => {
  callers = await signInEveryRole(await startHttpApp());
});
afterAll(() => callers?.app.close());

describe("generated hostile query strings, as every role", () => {
  it("never answer with a 5xx, and change nothing without an audited success", { timeout: 15 * 60_000 }, async () => {
    const routes = fuzzRoutes(false);
    expect(routes.map(({ url }) => url)).toEqual(expect.arrayContaining(["/audit", "/accounts"]));
    const problems: string[] = [];
    for (const [index, route] of routes.entries()) {
      const arbitrary = queryArbitrary(route.fields);
      for (const [offset, { label, client }] of callersOf(route, callers).entries()) {
        const seed = index * 10 + offset;
        problems.push(
          ...(await fuzz(
            `GET ${route.url} as ${label}`,
            arbitrary,
            (q) => client.get(`${route.url}?${encodePairs(q)}`),
            seed,
            // Half as many: the loader is the page's, only the way in differs.
            Math.ceil(RUNS_PER_ROUTE / 2),
          )),
          // The data request a client-side navigation makes runs the same loader through another path.
          ...(await fuzz(
            `GET ${route.url} (data) as ${label}`,
            arbitrary,
            (q) => client.get(dataPath(`${route.url}?${encodePairs(q)}`, [route.routeId])),
            seed,
            // Half as many: the loader is the page's, only the way in differs.
            Math.ceil(RUNS_PER_ROUTE / 2),
          )),
        );
      }
    }
    expect(problems).toEqual([]);
  });
});

// The cached route matching (scripts/lib/route-matching.ts) must answer exactly as @remix-run/router's own
// matchRoutes: the console's own route tree with every URL shape a browser or a scanner sends, and small trees with
// what the console does not use yet (optional segments, splats, case-sensitive paths, absolute child paths).
import { createRequire } from "node:module";
import * as router from "@remix-run/router";
import type { AgnosticRouteMatch, AgnosticRouteObject } from "@remix-run/router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { consoleRouteTree } from "../../scripts/bench/lib/console-route-tree";
import { cachedMatchRoutes } from "../../scripts/lib/route-matching";

const original = router.matchRoutes;
const cached = cachedMatchRoutes(router);

/** Matches without the route objects: which route, with what params and paths. */
const summary = (matches: AgnosticRouteMatch[] | null) =>
  matches?.map((m) => ({ id: m.route.id, params: { ...m.params }, pathname: m.pathname, base: m.pathnameBase })) ??
  null;

function expectSameAnswers(routes: AgnosticRouteObject[], urls: string[], basename?: string) {
  for (const url of urls) {
    const expected = summary(original(routes, url, basename));
    expect({ url, matches: summary(cached(routes, url, basename)) }).toEqual({ url, matches: expected });
    // The second call answers from the ranked branches kept by the first.
    expect({ url, matches: summary(cached(routes, { pathname: url }, basename)) }).toEqual({ url, matches: expected });
  }
}

describe("cached route matching", () => {
  // The router warns of each malformed URL (both implementations decode with its own decodePath); that is expected.
  beforeEach(() => void vi.spyOn(console, "warn").mockImplementation(() => {}));

  it("answers every console URL as the router does, for a fresh copy of the tree too", () => {
    const routes = consoleRouteTree();
    expect(routes[0]!.children!.length).toBeGreaterThan(40);
    const urls = new Set<string>(["/", "", "/nowhere", "/accounts/", "//accounts", "/ACCOUNTS", "/_root.data"]);
    const collect = (tree: AgnosticRouteObject[], parent: string) => {
      for (const route of tree) {
        const full = route.path ? `${parent}/${route.path}` : parent;
        for (const value of ["0b9c", "a%20b", "x.data", "a%2Fb", "%E0%A4%A", "ｶﾅ"]) {
          const concrete = full.replace(/:[\w-]+/g, value) || "/";
          urls.add(concrete);
          urls.add(`${concrete}/`);
          urls.add(`${concrete}.data`);
          urls.add(`${concrete}/extra`);
          urls.add(concrete.toUpperCase());
        }
        if (route.children) collect(route.children, full);
      }
    };
    collect(routes, "");
    expectSameAnswers(routes, [...urls]);
    expectSameAnswers(consoleRouteTree(), [...urls]);
    expectSameAnswers(routes, ["/base/accounts/1", "/accounts/1", "/basement"], "/base");
  });

  it("answers as the router does for optional segments, splats, case-sensitive and absolute paths", () => {
    const routes: AgnosticRouteObject[] = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "lang", path: ":lang?/about/:section?", caseSensitive: true },
          { id: "files", path: "files/*" },
          {
            id: "docs",
            path: "docs",
            children: [
              { id: "docs-abs", path: "/docs/:page" },
              { id: "docs-index", index: true },
            ],
          },
          { id: "same-a", path: "same/:x" },
          { id: "same-b", path: "same/:y" },
          { id: "optional-static", path: "shop/items?" },
          { id: "layout", children: [{ id: "in-layout", path: "inside" }] },
          { id: "catch-all", path: "*" },
        ],
      },
    ];
    expectSameAnswers(routes, [
      "/about",
      "/en/about",
      "/en/about/team",
      "/en/ABOUT/team",
      "/files",
      "/files/",
      "/files/a/b%20c",
      "/docs",
      "/docs/",
      "/docs/intro",
      "/same/1",
      "/shop",
      "/shop/items",
      "/inside",
      "/anything/else",
    ]);
  });

  it("serves the static handler's requests through the module's exported matchRoutes (patches/)", async () => {
    // The server runtime answers every request with the static handler's query or queryRoute; the patch makes both
    // call the export, which installRouteMatchingCache replaces. Without it they rank the whole tree per request.
    const routerModule = createRequire(import.meta.url)("@remix-run/router") as typeof router;
    const own = routerModule.matchRoutes;
    const asked: string[] = [];
    routerModule.matchRoutes = (routes, location, basename) => {
      asked.push(typeof location === "string" ? location : (location.pathname ?? ""));
      return own(routes, location, basename);
    };
    try {
      const handler = routerModule.createStaticHandler([
        {
          id: "root",
          path: "/",
          loader: () => "root",
          children: [{ id: "account", path: "accounts/:id", loader: () => "a" }],
        },
      ]);
      const context = await handler.query(new Request("http://console.test/accounts/7"));
      expect(context).toMatchObject({ loaderData: { root: "root", account: "a" } });
      expect(await handler.queryRoute(new Request("http://console.test/accounts/7"), { routeId: "account" })).toBe("a");
      expect(asked).toEqual(["/accounts/7", "/accounts/7"]);
    } finally {
      routerModule.matchRoutes = own;
    }
  });
});

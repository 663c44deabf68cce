// The console's route tree as Remix's server runtime builds it (a tree under the root, from app/routes), without a
// build: for the route-matching bench and its test.
import path from "node:path";
import { UNSAFE_flatRoutes as flatRoutes } from "@remix-run/dev";
import type { AgnosticRouteObject } from "@remix-run/router";

/** The same file patterns remix.config.js ignores. */
const IGNORED = ["**/.*", "**/*.test.{ts,tsx}"];

export function consoleRouteTree(): AgnosticRouteObject[] {
  const entries = Object.values(flatRoutes(path.resolve("app"), IGNORED));
  const childrenOf = (parentId: string): AgnosticRouteObject[] =>
    entries
      .filter((route) => route.parentId === parentId)
      .map((route) =>
        route.index
          ? { id: route.id, path: route.path, index: true, caseSensitive: route.caseSensitive }
          : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: childrenOf(route.id) },
      );
  return [{ id: "root", path: "", children: childrenOf("root") }];
}

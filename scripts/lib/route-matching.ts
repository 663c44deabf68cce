// Route matching with the route tree's branches worked out once (docs/decisions/056-cheaper-requests.md).
//
// Remix 2 matches a URL against the route tree three or four times per request (the server runtime twice, the data
// router once, the server render and its partial manifest up to three more times), and @remix-run/router 1.x
// flattens the whole tree, ranks every branch and compiles a regular expression per route segment on each of those
// calls: 15 % of a web process's CPU on a page, 24 % on a loader-data request. React Router 7 keeps the ranked
// branches itself; until the move to it, `installRouteMatchingCache` replaces the router's exported `matchRoutes`
// (which the server runtime, react-router and Remix's <Scripts> all call through the module's exports, and the static
// handler too since patches/@remix-run+router+1.23.3.patch, ADR 061) with one that
// keeps, per shape of route tree, the ranked branches with their compiled patterns. It must answer exactly as the
// router does (its scores, its tie-breaks, its pattern syntax, as documented for @remix-run/router 1.23), so it follows
// the same rules step by step; tests/unit/route-matching.test.ts holds every console URL shape against the original.
import { createRequire } from "node:module";
import type { AgnosticRouteMatch, AgnosticRouteObject, Location } from "@remix-run/router";

type MatchRoutes = (
  routes: AgnosticRouteObject[],
  location: Partial<Location> | string,
  basename?: string,
) => AgnosticRouteMatch[] | null;

interface RouterModule {
  matchRoutes: MatchRoutes;
  parsePath: (path: string) => Partial<Location>;
  stripBasename: (pathname: string, basename: string) => string | null;
  joinPaths: (paths: string[]) => string;
  normalizePathname: (pathname: string) => string;
  UNSAFE_decodePath: (value: string) => string;
}

interface CompiledSegment {
  matcher: RegExp;
  params: { paramName: string; isOptional?: boolean }[];
}

interface Branch {
  /** Per route of the branch, root first: its child index at each level (to find it in a tree of the same shape). */
  childIndexes: number[];
  segments: CompiledSegment[];
  /**
   * The branch's whole path as one pattern, which every URL the branch matches also matches: most branches are
   * ruled out with one test instead of a walk through their segments. Absent where that does not hold for certain
   * (a splat or an optional segment inside the path).
   */
  quickTest?: RegExp;
}

const paramRe = /^:[\w-]+$/;
const isSplat = (s: string) => s === "*";

/** The router's computeScore: more and more static segments rank first. */
function computeScore(path: string, index: boolean | undefined): number {
  const segments = path.split("/");
  let initialScore = segments.length;
  if (segments.some(isSplat)) initialScore += -2;
  if (index) initialScore += 2;
  return segments
    .filter((s) => !isSplat(s))
    .reduce((score, segment) => score + (paramRe.test(segment) ? 3 : segment === "" ? 1 : 10), initialScore);
}

/** The router's compilePath. */
function compilePath(path: string, caseSensitive: boolean, end: boolean): CompiledSegment {
  const params: CompiledSegment["params"] = [];
  let regexpSource =
    "^" +
    path
      .replace(/\/*\*?$/, "")
      .replace(/^\/*/, "/")
      .replace(/[\\.*+^${}|()[\]]/g, "\\$&")
      .replace(/\/:([\w-]+)(\?)?/g, (_: string, paramName: string, isOptional: string | undefined) => {
        params.push({ paramName, isOptional: isOptional != null });
        return isOptional ? "/?([^\\/]+)?" : "/([^\\/]+)";
      });
  if (path.endsWith("*")) {
    params.push({ paramName: "*" });
    regexpSource += path === "*" || path === "/*" ? "(.*)$" : "(?:\\/(.+)|\\/*)$";
  } else if (end) {
    regexpSource += "\\/*$";
  } else if (path !== "" && path !== "/") {
    regexpSource += "(?:(?=\\/|$))";
  }
  return { matcher: new RegExp(regexpSource, caseSensitive ? undefined : "i"), params };
}

/** The router's explodeOptionalSegments: `/a/:b?` is tried as `/a/:b` and `/a`. */
function explodeOptionalSegments(path: string): string[] {
  const segments = path.split("/");
  if (segments.length === 0) return [];
  const [first, ...rest] = segments as [string, ...string[]];
  const isOptional = first.endsWith("?");
  const required = first.replace(/\?$/, "");
  if (rest.length === 0) return isOptional ? [required, ""] : [required];
  const restExploded = explodeOptionalSegments(rest.join("/"));
  const result = restExploded.map((subpath) => (subpath === "" ? required : [required, subpath].join("/")));
  if (isOptional) result.push(...restExploded);
  return result.map((exploded) => (path.startsWith("/") && exploded === "" ? "/" : exploded));
}

interface Meta {
  relativePath: string;
  caseSensitive: boolean;
  childrenIndex: number;
}

/** The router's flattenRoutes and rankRouteBranches, keeping child indexes instead of the route objects. */
function rankedBranches(router: RouterModule, routes: AgnosticRouteObject[]): Branch[] {
  const flat: { path: string; score: number; metas: Meta[] }[] = [];
  const flatten = (children: AgnosticRouteObject[], parentsMeta: Meta[], parentPath: string) => {
    const flattenRoute = (route: AgnosticRouteObject, index: number, relativePath?: string) => {
      const meta: Meta = {
        relativePath: relativePath === undefined ? route.path || "" : relativePath,
        caseSensitive: route.caseSensitive === true,
        childrenIndex: index,
      };
      if (meta.relativePath.startsWith("/")) {
        if (!meta.relativePath.startsWith(parentPath)) {
          throw new Error(`Absolute route path "${meta.relativePath}" nested under path "${parentPath}" is not valid.`);
        }
        meta.relativePath = meta.relativePath.slice(parentPath.length);
      }
      const path = router.joinPaths([parentPath, meta.relativePath]);
      const metas = parentsMeta.concat(meta);
      if (route.children && route.children.length > 0) flatten(route.children, metas, path);
      if (route.path == null && !route.index) return;
      flat.push({ path, score: computeScore(path, route.index), metas });
    };
    children.forEach((route, index) => {
      if (route.path === "" || !route.path?.includes("?")) flattenRoute(route, index);
      else for (const exploded of explodeOptionalSegments(route.path)) flattenRoute(route, index, exploded);
    });
  };
  flatten(routes, [], "");
  const compareIndexes = (a: number[], b: number[]) => {
    const siblings = a.length === b.length && a.slice(0, -1).every((n, i) => n === b[i]);
    return siblings ? a[a.length - 1]! - b[b.length - 1]! : 0;
  };
  flat.sort((a, b) =>
    a.score !== b.score
      ? b.score - a.score
      : compareIndexes(
          a.metas.map((m) => m.childrenIndex),
          b.metas.map((m) => m.childrenIndex),
        ),
  );
  return flat.map(({ path, metas }) => ({
    childIndexes: metas.map((m) => m.childrenIndex),
    segments: metas.map((m, i) => compilePath(m.relativePath, m.caseSensitive, i === metas.length - 1)),
    quickTest:
      path.slice(0, -1).includes("*") || path.includes("?")
        ? undefined
        : compilePath(
            path,
            metas.every((m) => m.caseSensitive),
            true,
          ).matcher,
  }));
}

/** The router's matchRouteBranch and matchPath, with the branch's patterns compiled once. */
function matchBranch(
  router: RouterModule,
  branch: Branch,
  routes: AgnosticRouteObject[],
  pathname: string,
): AgnosticRouteMatch[] | null {
  const matchedParams: Record<string, string | undefined> = {};
  let matchedPathname = "/";
  const matches: AgnosticRouteMatch[] = [];
  let level = routes;
  for (let i = 0; i < branch.segments.length; ++i) {
    const { matcher, params } = branch.segments[i]!;
    const remainingPathname = matchedPathname === "/" ? pathname : pathname.slice(matchedPathname.length) || "/";
    const match = remainingPathname.match(matcher);
    if (!match) return null;
    const matchedSegment = match[0];
    let pathnameBase = matchedSegment.replace(/(.)\/+$/, "$1");
    const captureGroups = match.slice(1);
    params.forEach(({ paramName, isOptional }, index) => {
      if (paramName === "*") {
        const splatValue = captureGroups[index] || "";
        pathnameBase = matchedSegment.slice(0, matchedSegment.length - splatValue.length).replace(/(.)\/+$/, "$1");
      }
      const value = captureGroups[index];
      matchedParams[paramName] = isOptional && !value ? undefined : (value || "").replace(/%2F/g, "/");
    });
    const route = level[branch.childIndexes[i]!]!;
    level = route.children ?? [];
    matches.push({
      params: matchedParams,
      pathname: router.joinPaths([matchedPathname, matchedSegment]),
      pathnameBase: router.normalizePathname(router.joinPaths([matchedPathname, pathnameBase])),
      route,
    });
    if (pathnameBase !== "/") matchedPathname = router.joinPaths([matchedPathname, pathnameBase]);
  }
  return matches;
}

/** What the ranking depends on, route by route, in tree order: a copy of a tree has the same shape. */
interface RouteShape {
  id: string | undefined;
  path: string | undefined;
  index: boolean;
  caseSensitive: boolean;
  children: number;
}

function shapeOf(routes: AgnosticRouteObject[], into: RouteShape[] = []): RouteShape[] {
  for (const route of routes) {
    const children = route.children ?? [];
    into.push({
      id: route.id,
      path: route.path,
      index: route.index === true,
      caseSensitive: route.caseSensitive === true,
      children: children.length,
    });
    shapeOf(children, into);
  }
  return into;
}

/** Whether `routes` has `shape`, compared field by field (no key is built: cheaper for a tree copied per page). */
function hasShape(routes: AgnosticRouteObject[], shape: RouteShape[]): boolean {
  let at = 0;
  const walk = (level: AgnosticRouteObject[]): boolean => {
    for (const route of level) {
      const expected = shape[at++];
      const children = route.children ?? [];
      if (
        !expected ||
        expected.id !== route.id ||
        expected.path !== route.path ||
        expected.index !== (route.index === true) ||
        expected.caseSensitive !== (route.caseSensitive === true) ||
        expected.children !== children.length ||
        !walk(children)
      ) {
        return false;
      }
    }
    return true;
  };
  return walk(routes) && at === shape.length;
}

/** A matchRoutes with the same answers as the router's own, ranking each shape of route tree once. */
export function cachedMatchRoutes(router: RouterModule): MatchRoutes {
  // The server runtime's trees are the same arrays on every request; the server render builds a copy per page.
  const known = new WeakMap<AgnosticRouteObject[], Branch[]>();
  const byShape: { shape: RouteShape[]; branches: Branch[] }[] = [];
  const branchesOf = (routes: AgnosticRouteObject[]): Branch[] => {
    let branches = known.get(routes) ?? byShape.find((entry) => hasShape(routes, entry.shape))?.branches;
    if (!branches) {
      branches = rankedBranches(router, routes);
      // A build's route tree is fixed: more than a few shapes would mean something builds trees of its own.
      if (byShape.length < 16) byShape.push({ shape: shapeOf(routes), branches });
    }
    known.set(routes, branches);
    return branches;
  };
  return (routes, locationArg, basename = "/") => {
    const location = typeof locationArg === "string" ? router.parsePath(locationArg) : locationArg;
    const pathname = router.stripBasename(location.pathname || "/", basename);
    if (pathname == null) return null;
    const branches = branchesOf(routes);
    const decoded = router.UNSAFE_decodePath(pathname);
    for (const branch of branches) {
      if (branch.quickTest && !branch.quickTest.test(decoded)) continue;
      const matches = matchBranch(router, branch, routes, decoded);
      if (matches) return matches;
    }
    return null;
  };
}

let installed = false;

/** Makes every caller of @remix-run/router's exported matchRoutes in this process use the cached one. */
export function installRouteMatchingCache(): void {
  if (installed) return;
  installed = true;
  const router = createRequire(import.meta.url)("@remix-run/router") as RouterModule;
  router.matchRoutes = cachedMatchRoutes(router);
}

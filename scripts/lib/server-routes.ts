// The route tree Remix's server render starts from, built once per build (docs/decisions/059-web-cpu-per-request.md).
//
// `<RemixServer>` calls `createServerRoutes(manifest.routes, routeModules, …)` for every page, turning every route of
// the manifest into route objects with their components and error boundaries, and react-router's
// `createStaticRouter` then turns that tree into data routes (`convertRoutesToDataRoutes`, a React element per route):
// about 7 % of a page's CPU in a profile, for answers that depend only on the build. `installServerRoutesCache`
// replaces both exports (RemixServer and createStaticRouter call them through their modules' exports) with ones that
// keep the answer and hand it out again: the route tree per manifest while every route's module is the same one, the
// data routes per route tree. Nothing in the server render changes either tree: it only reads them.
import { createRequire } from "node:module";

type CreateServerRoutes = (
  manifest: Record<string, unknown>,
  routeModules: Record<string, unknown>,
  future: unknown,
  isSpaMode: boolean,
  ...rest: unknown[]
) => unknown[];

interface Kept {
  modules: Record<string, unknown>;
  future: unknown;
  isSpaMode: boolean;
  routes: unknown[];
}

function sameModules(manifest: Record<string, unknown>, now: Record<string, unknown>, kept: Record<string, unknown>) {
  for (const id in manifest) if (now[id] !== kept[id]) return false;
  return true;
}

export function cachedCreateServerRoutes(original: CreateServerRoutes): CreateServerRoutes {
  const kept = new WeakMap<object, Kept>();
  return (manifest, routeModules, future, isSpaMode, ...rest) => {
    // The recursive calls (a parent id, the grouped routes) are the original's own business.
    if (rest.length > 0) return original(manifest, routeModules, future, isSpaMode, ...rest);
    const hit = kept.get(manifest);
    if (
      hit &&
      hit.isSpaMode === isSpaMode &&
      hit.future === future &&
      sameModules(manifest, routeModules, hit.modules)
    ) {
      return hit.routes;
    }
    const routes = original(manifest, routeModules, future, isSpaMode);
    kept.set(manifest, { modules: { ...routeModules }, future, isSpaMode, routes });
    return routes;
  };
}

type ConvertRoutesToDataRoutes = (
  routes: unknown[],
  mapRouteProperties: unknown,
  parentPath?: string[],
  manifest?: Record<string, unknown>,
) => unknown[];

export function cachedConvertRoutesToDataRoutes(original: ConvertRoutesToDataRoutes): ConvertRoutesToDataRoutes {
  const kept = new WeakMap<
    object,
    { mapRouteProperties: unknown; dataRoutes: unknown[]; byId: Record<string, unknown> }
  >();
  return (routes, mapRouteProperties, parentPath, manifest) => {
    // Only a whole tree converted into an empty manifest (createStaticRouter's call) is kept; it fills the manifest
    // with every data route by id, so a kept answer fills it again.
    if (parentPath !== undefined || !manifest || Object.keys(manifest).length > 0) {
      return original(routes, mapRouteProperties, parentPath, manifest);
    }
    let hit = kept.get(routes);
    if (!hit || hit.mapRouteProperties !== mapRouteProperties) {
      const byId: Record<string, unknown> = {};
      hit = { mapRouteProperties, dataRoutes: original(routes, mapRouteProperties, undefined, byId), byId };
      kept.set(routes, hit);
    }
    Object.assign(manifest, hit.byId);
    return hit.dataRoutes;
  };
}

let installed = false;

export function installServerRoutesCache(): void {
  if (installed) return;
  installed = true;
  const routesModule = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
    createServerRoutes: CreateServerRoutes;
  };
  routesModule.createServerRoutes = cachedCreateServerRoutes(routesModule.createServerRoutes);
  const router = createRequire(import.meta.url)("@remix-run/router") as {
    UNSAFE_convertRoutesToDataRoutes: ConvertRoutesToDataRoutes;
  };
  router.UNSAFE_convertRoutesToDataRoutes = cachedConvertRoutesToDataRoutes(router.UNSAFE_convertRoutesToDataRoutes);
}

// The route tree Remix's server render starts from, built once per build (docs/decisions/059-web-cpu-per-request.md).
//
// `<RemixServer>` calls `createServerRoutes(manifest.routes, routeModules, …)` for every page, turning all ~70 routes of
// the manifest into route objects with their components and error boundaries: about 5 % of a page's CPU in a
// profile, for an answer that depends only on the build. `installServerRoutesCache` replaces that export of
// @remix-run/react's routes module (RemixServer calls it through the module's exports) with one that keeps the answer
// per manifest and hands it out again while every route's module is the same one. Nothing downstream changes the
// tree: the static router copies every route into a data route of its own before using it.
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

let installed = false;

export function installServerRoutesCache(): void {
  if (installed) return;
  installed = true;
  const routesModule = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
    createServerRoutes: CreateServerRoutes;
  };
  routesModule.createServerRoutes = cachedCreateServerRoutes(routesModule.createServerRoutes);
}

// The server render's route tree kept per build (scripts/lib/server-routes.ts): the same tree as Remix builds, built
// once while the build's route modules are the same, and built afresh when one of them is not; and its data routes,
// converted once per tree.
import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import * as router from "@remix-run/router";
import { UNSAFE_mapRouteProperties as mapRouteProperties } from "react-router";
import { cachedConvertRoutesToDataRoutes, cachedCreateServerRoutes } from "../../scripts/lib/server-routes";

type CreateServerRoutes = Parameters<typeof cachedCreateServerRoutes>[0];
const { createServerRoutes } = createRequire(import.meta.url)("@remix-run/react/dist/routes.js") as {
  createServerRoutes: CreateServerRoutes;
};

const manifest = {
  root: { id: "root", path: "", hasLoader: true },
  "routes/_index": { id: "routes/_index", parentId: "root", index: true, hasLoader: true },
  "routes/accounts": { id: "routes/accounts", parentId: "root", path: "accounts", hasLoader: false },
  "routes/accounts.$id": { id: "routes/accounts.$id", parentId: "routes/accounts", path: ":id", hasLoader: true },
};
interface ServerRoute {
  id: string;
  path?: string;
  index?: boolean;
  handle?: unknown;
  Component?: unknown;
  loader?: unknown;
  children?: ServerRoute[];
}
/** The tree without its fresh functions (a no-op loader, the root's default error boundary): what each route is. */
const shape = (routes: unknown[]): unknown =>
  (routes as ServerRoute[]).map((r) => ({
    id: r.id,
    path: r.path,
    index: r.index,
    handle: r.handle,
    Component: r.Component,
    loader: typeof r.loader,
    children: r.children && shape(r.children),
  }));
const moduleOf = (name: string) => ({ default: () => name, handle: { name } });
const modules = () => Object.fromEntries(Object.keys(manifest).map((id) => [id, moduleOf(id)]));

describe("the server render's route tree, kept per build", () => {
  it("is the tree Remix builds, built once for the same build and afresh when a route's module changes", () => {
    const original = vi.fn(createServerRoutes);
    const cached = cachedCreateServerRoutes(original);
    const future = {};
    const first = modules();
    const tree = cached(manifest, first, future, false);
    expect(shape(tree)).toEqual(shape(createServerRoutes(manifest, first, future, false)));
    // Remix hands the render a new object of the same modules for every page.
    expect(cached(manifest, { ...first }, future, false)).toBe(tree);
    expect(original).toHaveBeenCalledTimes(1);

    const changed = { ...first, "routes/accounts.$id": moduleOf("changed") };
    const rebuilt = cached(manifest, changed, future, false);
    expect(rebuilt).not.toBe(tree);
    expect(shape(rebuilt)).toEqual(shape(createServerRoutes(manifest, changed, future, false)));
    expect(cached(manifest, changed, future, true)).not.toBe(rebuilt);
  });
});

describe("the server render's data routes, kept per route tree", () => {
  it("are the data routes the router converts, with the same manifest filled in, converted once per tree", () => {
    const original = vi.fn(router.UNSAFE_convertRoutesToDataRoutes);
    const cached = cachedConvertRoutesToDataRoutes(original as never);
    const tree = cachedCreateServerRoutes(createServerRoutes)(manifest, modules(), {}, false);
    const expectedById: Record<string, unknown> = {};
    const expected = router.UNSAFE_convertRoutesToDataRoutes(
      tree as never,
      mapRouteProperties,
      undefined,
      expectedById as never,
    );

    const firstById: Record<string, unknown> = {};
    const first = cached(tree, mapRouteProperties, undefined, firstById);
    expect(shape(first)).toEqual(shape(expected));
    expect(Object.keys(firstById).sort()).toEqual(Object.keys(expectedById).sort());
    const secondById: Record<string, unknown> = {};
    expect(cached(tree, mapRouteProperties, undefined, secondById)).toBe(first);
    expect(secondById).toEqual(firstById);
    expect(original).toHaveBeenCalledTimes(1);
    // Another tree, or the router's own calls for a subtree, are converted as they come.
    expect(cached([...tree], mapRouteProperties, undefined, {})).not.toBe(first);
    cached(tree, mapRouteProperties, ["0"], {});
    expect(original).toHaveBeenCalledTimes(3);
  });
});

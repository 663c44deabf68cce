// The server render's route tree kept per build (scripts/lib/server-routes.ts): the same tree as Remix builds, built
// once while the build's route modules are the same, and built afresh when one of them is not.
import { createRequire } from "node:module";
import { describe, expect, it, vi } from "vitest";
import { cachedCreateServerRoutes } from "../../scripts/lib/server-routes";

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

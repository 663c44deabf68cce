// The browser bundle replaces every `.server` module with an empty one, so a value imported from one is `undefined`
// in a component: a constant silently becomes undefined (a hydration mismatch) and `CONSTANT.map` crashes the page
// after it rendered fine on the server. Only loaders, actions and their helpers may use such imports. This check reads
// each route's default-exported component (and every UI module) and fails on a `.server` value used there.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function filesUnder(dir: string, pattern: RegExp): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => pattern.test(name))
    .map((name) => path.join(dir, name));
}

/** Value (not type-only) names a file imports from `.server` modules. */
export function serverValueImports(source: string): string[] {
  const names: string[] = [];
  for (const match of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"[^"]*\.server"/g)) {
    for (const part of match[1]!.split(",")) {
      const name = part.trim();
      if (name && !name.startsWith("type "))
        names.push(
          name
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        );
    }
  }
  for (const match of source.matchAll(/import\s+(\w+)\s+from\s*"[^"]*\.server"/g)) names.push(match[1]!);
  return names;
}

/**
 * The parts of a route module that run in the browser: its components — the default export and any other top-level
 * function whose name is capitalised. Loaders, actions and lower-case helpers stay on the server.
 */
function browserPart(file: string, source: string): string {
  if (!file.includes(`${path.sep}routes${path.sep}`)) return source;
  return source
    .split(/^(?=(?:export\s+)?(?:default\s+)?(?:async\s+)?function\s)/m)
    .filter((chunk) => /^(?:export\s+default\s+function|(?:export\s+)?function\s+[A-Z])/.test(chunk))
    .join("\n")
    .replace(/([>}])[^<>{}]*</g, "$1<"); // JSX text ("kept outside the database") is prose, not a use
}

const files = [
  ...filesUnder("app/routes", /\.tsx$/),
  ...filesUnder("app/components", /\.tsx$/),
  ...filesUnder("app", /[/\\]ui[/\\][^/\\]+\.tsx$/),
];

describe("components never use values from .server modules", () => {
  it("finds the route modules and UI files it checks", () => {
    expect(files.length).toBeGreaterThan(40);
  });

  it("recognises the mistake it looks for", () => {
    const source = `import { LIMIT, type Row, load } from "~/x/y.server";\nexport default function Page() { return LIMIT; }`;
    expect(serverValueImports(source)).toEqual(["LIMIT", "load"]);
    expect(/\bLIMIT\b/.test(browserPart("app/routes/page.tsx".replaceAll("/", path.sep), source))).toBe(true);
  });

  it.each(files)("%s", (file) => {
    const source = readFileSync(file, "utf8");
    const used = serverValueImports(source).filter((name) =>
      new RegExp(`\\b${name.replace(/[$]/g, "\\$")}\\b`).test(browserPart(file, source)),
    );
    expect(used, `${file} uses .server values in the browser`).toEqual([]);
  });
});

// The console's routes as the file system lists them (app/routes), so that sweeps over "every route" pick up a new
// route without anyone listing it.
import { readdirSync } from "node:fs";
import path from "node:path";

export const routeFiles = readdirSync(path.resolve("app/routes")).filter(
  (f) => /\.(tsx|ts)$/.test(f) && !f.includes(".test."),
);

export const routeName = (file: string) => file.replace(/\.(tsx|ts)$/, "");

/** app/routes file name → URL path, with each dynamic segment replaced by `segment`. */
export function urlPathOf(file: string, segment: string): string {
  const base = routeName(file);
  const parts: string[] = [];
  let current = "";
  let escaped = false;
  for (const char of base) {
    if (char === "[") escaped = true;
    else if (char === "]") escaped = false;
    else if (char === "." && !escaped) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  const segments = parts.filter((p) => p !== "_index").map((p) => (p.startsWith("$") ? segment : p));
  return `/${segments.join("/")}`;
}

// Which intents the hostile-input sweep sends to which action (tests/support/hostile-input.ts): every intent a console
// form can name is found in the code, and each action gets the ones its own code can tell apart.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Every intent a console form can send: the schemas' literals, the named constants and the buttons' values. */
function collectIntents(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(tsx?|ts)$/.test(entry.name) && !full.includes("generated")) {
        const source = readFileSync(full, "utf8");
        for (const pattern of [/intent: z\.literal\("([a-z-]+)"\)/g, /INTENT = "([a-z-]+)"/g, /value="([a-z-]+)"/g]) {
          for (const match of source.matchAll(pattern)) found.add(match[1]!);
        }
      }
    }
  };
  walk(path.resolve("app"));
  return [...found].sort();
}
export const INTENTS = collectIntents();

/** A module and every app module it imports, directly or not (relative and `~/` imports). */
export function importClosure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const match of readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(~\/[^"]+|\.{1,2}\/[^"]+)"/g)) {
    const spec = match[1]!;
    const base = spec.startsWith("~/") ? path.resolve("app", spec.slice(2)) : path.resolve(path.dirname(file), spec);
    const found = [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts"), path.join(base, "index.tsx")].find(
      (candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate),
    );
    if (found) importClosure(found, seen);
  }
  return seen;
}

/**
 * The intents a route's action can tell apart: those whose name its code (the route module and everything it imports)
 * mentions at all, as a string, a constant or an object key. Any other intent fails every comparison the action makes,
 * so it takes the one "unknown intent" path: each route gets one such intent (a different one per route, so that
 * every intent is still sent), not all of them.
 */
export function intentsFor(file: string, routeIndex: number): string[] {
  const code = [...importClosure(path.resolve("app/routes", file))].map((f) => readFileSync(f, "utf8")).join("\n");
  const mentioned = (intent: string) => new RegExp(`(?<![\\w-])${intent}(?![\\w-])`).test(code);
  const known = INTENTS.filter(mentioned);
  const foreign = INTENTS.filter((intent) => !mentioned(intent));
  return foreign.length > 0 ? [...known, foreign[routeIndex % foreign.length]!] : known;
}

// Only app/lib/form.server.ts reads a posted form, and it refuses a form with a NUL in any field before the action
// sees it (findHostileFormEntry): with a NUL in every field, an action that reads its body only through it cannot tell
// one intent from another. A route whose code reads a body some other way gets every intent with a NUL too.
const FORM_READER = path.resolve("app/lib/form.server.ts");
const READS_A_BODY = /\.(formData|text|json|arrayBuffer|blob)\(\)/;
export function readsBodyOnlyThroughFormReader(file: string): boolean {
  return [...importClosure(path.resolve("app/routes", file))].every(
    (module) => module === FORM_READER || !READS_A_BODY.test(readFileSync(module, "utf8")),
  );
}

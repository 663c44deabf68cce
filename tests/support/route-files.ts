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

/** The id of a record that does not exist, for a route's dynamic segments. */
export const SOME_ID = "00000000-0000-0000-0000-000000000000";

// The sign-in flow's pages are posted by a stranger (their throttles would otherwise lock a member out).
const SIGN_IN_FLOW = /^(sign-in|invite|reset-password)/;

/** The three callers a sweep over every route needs: the security lead reaches the most routes. */
export interface RouteCallers<Client> {
  lead: Client;
  admin: Client;
  stranger: Client;
}

/**
 * Which caller may use a route, by its route name or its URL path without the leading slash: a stranger on the sign-in
 * flow, the admin on the admin pages, the security lead everywhere else.
 */
export function callerFor<Client>(nameOrPath: string, callers: RouteCallers<Client>): Client {
  if (SIGN_IN_FLOW.test(nameOrPath)) return callers.stranger;
  return nameOrPath.startsWith("admin") ? callers.admin : callers.lead;
}

export interface ConsoleRoute<Client> {
  file: string;
  name: string;
  /** Its URL, each dynamic segment replaced by `segment`. */
  url: string;
  /** Remix's id for it, as a data request names it. */
  routeId: string;
  /** The caller who may use it. */
  member: Client;
}

/** Every route in app/routes but those named in `except`, with its URL, route id and the caller who may use it. */
export function consoleRoutes<Client>(
  callers: RouteCallers<Client>,
  options: { except?: ReadonlySet<string>; segment?: string } = {},
): ConsoleRoute<Client>[] {
  return routeFiles
    .filter((file) => !options.except?.has(routeName(file)))
    .map((file) => {
      const name = routeName(file);
      return {
        file,
        name,
        url: urlPathOf(file, options.segment ?? SOME_ID),
        routeId: `routes/${name}`,
        member: callerFor(name, callers),
      };
    });
}

// Deny by default, enforced on the code itself: every route module in app/routes that has a loader or an action must
// declare the permission it needs (`export const permission`), and the first statement of each loader and action
// must be the guard — requirePermission(request, …) or requireStaff(request). The few routes that cannot require a
// signed-in staff member (signing in, a one-time invite link, machine clients with service tokens, the test clock)
// are listed below with the guard they use instead; adding one to this list is a security decision for review.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PERMISSIONS } from "~/auth/permissions";

const ROUTES_DIR = path.resolve("app/routes");
const STAFF_GUARDS = new Set(["requirePermission", "requireStaff"]);

/** "none": the function may run for anyone (it reveals nothing and changes nothing on its own). */
type Guard = string | "none";

const OPEN_ROUTES: Record<string, { why: string; loader?: Guard; action?: Guard }> = {
  "sign-in._index.tsx": {
    why: "where staff prove who they are; throttle, lockout and enumeration-safe answers guard it",
    loader: "none",
    action: "signInWithPassword",
  },
  "sign-in.totp.tsx": { why: "the second step", loader: "requirePasswordSession", action: "requirePasswordSession" },
  "sign-in.recovery.tsx": {
    why: "the second step",
    loader: "requirePasswordSession",
    action: "requirePasswordSession",
  },
  "sign-in.enroll.tsx": {
    why: "mandatory enrollment",
    loader: "requirePasswordSession",
    action: "requirePasswordSession",
  },
  "sign-out.tsx": { why: "ends whatever session the request holds", loader: "none", action: "signOut" },
  "invite.$token.tsx": {
    why: "the one-time link is the credential",
    loader: "findLiveInvite",
    action: "findLiveInvite",
  },
  "reset-password.tsx": {
    why: "customers arrive from a password-reset mail; the single-use token in the link is the credential",
    loader: "inspectResetLink",
    action: "redeemPasswordReset",
  },
  "test-clock.tsx": {
    why: "404 unless the test clock is enabled",
    loader: "requireTestClock",
    action: "requireTestClock",
  },
  "api.v1.kill-switches._index.ts": { why: "machine clients with service tokens", loader: "requireServiceToken" },
  "api.v1.kill-switches.ack.ts": {
    why: "machine clients with service tokens; GET only answers 405",
    loader: "none",
    action: "requireServiceToken",
  },
};

const IGNORED = [/^\./, /\.test\.tsx?$/];

/** Route modules as Remix's flat routes see them: files in app/routes, and folders holding a route.tsx. */
function routeModules(): { name: string; file: string }[] {
  const modules: { name: string; file: string }[] = [];
  for (const entry of readdirSync(ROUTES_DIR)) {
    if (IGNORED.some((pattern) => pattern.test(entry))) continue;
    const full = path.join(ROUTES_DIR, entry);
    if (statSync(full).isDirectory()) {
      for (const candidate of ["route.tsx", "route.ts", "route.jsx", "route.js"]) {
        try {
          statSync(path.join(full, candidate));
          modules.push({ name: `${entry}/${candidate}`, file: path.join(full, candidate) });
          break;
        } catch {
          continue;
        }
      }
    } else if (/\.(tsx?|jsx?)$/.test(entry)) {
      modules.push({ name: entry, file: full });
    }
  }
  return modules.sort((a, b) => a.name.localeCompare(b.name));
}

type FunctionBody = ts.Block | ts.ConciseBody;

/** The body of `export (async) function name` or `export const name = (async) (…) => …`. */
function exportedFunctionBody(source: ts.SourceFile, name: string): FunctionBody | null {
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (!exported) continue;
    if (ts.isFunctionDeclaration(statement) && statement.name?.text === name && statement.body) return statement.body;
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || declaration.name.text !== name) continue;
        const init = declaration.initializer;
        if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init.body;
      }
    }
  }
  return null;
}

function calls(node: ts.Node): ts.CallExpression[] {
  const found: ts.CallExpression[] = [];
  const visit = (child: ts.Node) => {
    if (ts.isCallExpression(child)) found.push(child);
    ts.forEachChild(child, visit);
  };
  visit(node);
  return found;
}

function calleeName(call: ts.CallExpression): string | null {
  return ts.isIdentifier(call.expression) ? call.expression.text : null;
}

/** The staff guard call in the first statement, or null. */
function firstStatementGuard(body: FunctionBody): ts.CallExpression | null {
  const first = ts.isBlock(body) ? body.statements[0] : body;
  if (!first) return null;
  return calls(first).find((call) => STAFF_GUARDS.has(calleeName(call) ?? "")) ?? null;
}

/** The permission a requirePermission call passes: the module's exported `permission`, or a literal. */
function guardPermission(call: ts.CallExpression, exported: unknown): string | null {
  const argument = call.arguments[1];
  if (!argument) return null;
  if (ts.isIdentifier(argument) && argument.text === "permission")
    return typeof exported === "string" ? exported : null;
  if (ts.isStringLiteral(argument)) return argument.text;
  return null;
}

const modules = routeModules();

describe("every route module declares its permission and guards each loader and action", () => {
  it("finds the route modules", () => {
    expect(modules.map((m) => m.name)).toEqual(expect.arrayContaining(["_index.tsx", "admin.staff._index.tsx"]));
  });

  it("lists only open routes that still exist", () => {
    const names = new Set(modules.map((m) => m.name));
    for (const open of Object.keys(OPEN_ROUTES)) expect(names, `${open} is allow-listed but gone`).toContain(open);
  });

  it.each(modules)("$name", async ({ name, file }) => {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    const hasLoader = typeof mod.loader === "function";
    const hasAction = typeof mod.action === "function";
    if (!hasLoader && !hasAction) return;

    expect("permission" in mod, `${name} has a loader or action but exports no \`permission\``).toBe(true);
    const open = OPEN_ROUTES[name];
    if (open) {
      expect(mod.permission, `${name} is an open route: its permission must be null`).toBeNull();
    } else {
      expect(PERMISSIONS as readonly unknown[], `${name} exports an unknown permission`).toContain(mod.permission);
    }

    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    for (const kind of ["loader", "action"] as const) {
      if (typeof mod[kind] !== "function") continue;
      const body = exportedFunctionBody(source, kind);
      expect(body, `${name}: cannot find the ${kind}'s source (define it in the module itself)`).not.toBeNull();
      if (open) {
        const guard = open[kind];
        expect(guard, `${name}: its ${kind} is not covered by the allow-list entry`).toBeDefined();
        if (guard !== "none") {
          const names = calls(body!).map(calleeName);
          expect(names, `${name}: the ${kind} must call ${guard}`).toContain(guard);
        }
        continue;
      }
      const guard = firstStatementGuard(body!);
      expect(guard, `${name}: the first statement of the ${kind} must be requirePermission(request, …)`).not.toBeNull();
      if (calleeName(guard!) === "requirePermission") {
        const permission = guardPermission(guard!, mod.permission);
        expect(PERMISSIONS as readonly unknown[], `${name}: the ${kind} guards with an unknown permission`).toContain(
          permission,
        );
        if (kind === "loader") {
          expect(permission, `${name}: the loader must require the exported permission`).toBe(mod.permission);
        }
      }
    }
  });
});

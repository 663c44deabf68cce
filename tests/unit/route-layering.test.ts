// Routes never touch the database: they call their capability's services (README, "Architecture"). ESLint is what
// enforces it (eslint.config.js); this holds the configuration to that, for the database module and the layer behind
// it, in app/routes and in app/root.tsx, while a capability's service may import them.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function restrictedImports(filePath: string, module: string): Promise<number> {
  const [result] = await eslint.lintText(`import { anything } from "${module}";\nexport const used = anything;\n`, {
    filePath,
  });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").length;
}

describe("the database is out of the routes' reach", () => {
  for (const module of ["~/db.server", "~/db/sql-runner.server", "~/db/open-database.server"]) {
    it(`a route and the root may not import ${module}`, async () => {
      expect(await restrictedImports("app/routes/layering-probe.tsx", module)).toBe(1);
      expect(await restrictedImports("app/root.tsx", module)).toBe(1);
    });
  }

  it("a capability's service may", async () => {
    expect(await restrictedImports("app/accounts/layering-probe.server.ts", "~/db.server")).toBe(0);
    expect(await restrictedImports("app/accounts/layering-probe.server.ts", "~/db/sql-runner.server")).toBe(0);
  });
});

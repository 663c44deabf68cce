// The step-up guard refuses by rejecting its promise (it writes the refusal's audit row first, ADR 089). A call without
// await would lose that refusal and let the form go ahead, so ESLint refuses such a call anywhere in the app.
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const eslint = new ESLint();

async function ruleIdsFor(body: string): Promise<(string | null)[]> {
  const source =
    `import { requireStepUp } from "~/auth/guard.server";\n` +
    `export async function action(request: Request, ctx: never) {\n${body}\n}\n`;
  const [result] = await eslint.lintText(source, { filePath: "app/routes/step-up-probe.tsx" });
  return result!.messages.map((message) => message.ruleId);
}

describe("the step-up guard in a route", () => {
  it("may be awaited", async () => {
    expect(await ruleIdsFor("  await requireStepUp(request, ctx);")).not.toContain("no-restricted-syntax");
  });

  it("may not be called without await, alone or in a condition", async () => {
    expect(await ruleIdsFor("  requireStepUp(request, ctx);")).toContain("no-restricted-syntax");
    expect(await ruleIdsFor("  if (request) void requireStepUp(request, ctx);")).toContain("no-restricted-syntax");
  });
});

// The embedded stage's named set of integration files (tests/support/embedded-files.ts): a renamed or removed file
// must not silently drop out of it.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EMBEDDED_INTEGRATION_FILES } from "../support/embedded-files";

describe("the embedded stage's integration files", () => {
  it("each exists, is listed once and says why it is there", () => {
    const files = EMBEDDED_INTEGRATION_FILES.map(({ file }) => file);
    expect(files.filter((file) => !existsSync(file))).toEqual([]);
    expect(new Set(files).size).toBe(files.length);
    for (const { file, why } of EMBEDDED_INTEGRATION_FILES) {
      expect(file).toMatch(/^tests\/integration\/[a-z0-9-]+\.test\.ts$/);
      expect(why.trim().length, file).toBeGreaterThan(10);
    }
  });

  it("include the adapter contract and the ledger's deferred checks", () => {
    const files = EMBEDDED_INTEGRATION_FILES.map(({ file }) => file);
    expect(files).toContain("tests/integration/engine-contract.test.ts");
    expect(files).toContain("tests/integration/ledger-integrity.test.ts");
  });
});

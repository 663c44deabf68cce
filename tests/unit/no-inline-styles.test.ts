// The console's CSP has no 'unsafe-inline' for styles, so an inline style attribute in a page is refused by the
// browser and reported as a console error (the job page's progress bar did exactly that). Mail templates are not
// pages: mail clients need inline styles, and they are never served under the console's CSP.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const MAIL_TEMPLATES = path.join("app", "notify", "templates");

function componentFiles(): string[] {
  return readdirSync("app", { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".tsx"))
    .map((name) => path.join("app", name))
    .filter((file) => !file.startsWith(MAIL_TEMPLATES));
}

describe("pages render no inline styles (CSP)", () => {
  it("finds the components", () => {
    expect(componentFiles()).toContain(path.join("app", "routes", "jobs.$jobId.tsx"));
  });

  it("no component sets a style attribute", () => {
    const offenders = componentFiles().filter((file) => /\bstyle=\{/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { webProcessExecArgv } from "../../scripts/lib/web-cluster";

describe("the flags a forked web process starts with", () => {
  it("keeps the primary's flags and sizes the young generation", () => {
    expect(webProcessExecArgv(["--import", "tsx"], undefined)).toEqual(["--import", "tsx", "--max-semi-space-size=32"]);
  });

  it("leaves an operator's own size alone, on the command line or in NODE_OPTIONS, in either spelling", () => {
    expect(webProcessExecArgv(["--max-semi-space-size=64"], undefined)).toEqual(["--max-semi-space-size=64"]);
    expect(webProcessExecArgv(["--import", "tsx"], "--enable-source-maps --max_semi_space_size=8")).toEqual([
      "--import",
      "tsx",
    ]);
  });
});

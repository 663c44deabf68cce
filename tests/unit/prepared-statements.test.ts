// The names the console gives the statements it runs prepared on every request (app/db/sql-runner.server.ts).
import { describe, expect, it } from "vitest";
import { prepared, statementNameOf } from "~/db/sql-runner.server";

describe("prepared statement names", () => {
  it("one name per text, the same each time, derived from the text", () => {
    const first = prepared("SELECT 1 -- prepared unit test a");
    expect(first.name).toMatch(/^fixed_[0-9a-f]{32}$/);
    expect(prepared("SELECT 1 -- prepared unit test a")).toEqual(first);
    expect(prepared("SELECT 1 -- prepared unit test b").name).not.toBe(first.name);
    expect(first.name).toBe(statementNameOf("fixed", "SELECT 1 -- prepared unit test a"));
  });
});

// Fails a Vitest test on an unexpected console.error (installed for every file by tests/support/vitest-setup.ts).
import { afterEach, beforeEach } from "vitest";
import { format } from "node:util";

let expected: RegExp[] = [];
let unexpected: string[] = [];

/** This test provokes errors matching `pattern` on purpose (a job that must fail, a crash it injects). */
export function expectConsoleErrors(pattern: RegExp): void {
  expected.push(pattern);
}

export function installConsoleErrorCheck(): void {
  const original = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    const text = format(...args);
    if (!expected.some((pattern) => pattern.test(text))) unexpected.push(text);
    original(...args);
  };
  beforeEach(() => {
    expected = [];
    unexpected = [];
  });
  afterEach(() => {
    const reported = unexpected;
    unexpected = [];
    if (reported.length > 0) {
      throw new Error(`console.error was called and the test did not expect it:\n${reported.join("\n---\n")}`);
    }
  });
}

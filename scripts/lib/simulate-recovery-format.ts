// One line per step of `npm run simulate:recovery`: ✓ when the outcome is the one the rules demand (an accepted step
// or the expected refusal), ✗ UNEXPECTED otherwise.
//   21:30:01 ✓ attacker  signs in with the stolen password        PASSWORD_RESET_REQUIRED  For your security you must…
import type { StepLine } from "./simulate-recovery";
import { DIM, GREEN, jstClock, painter, RED } from "./terminal-line";

export function asExpected(line: StepLine): boolean {
  return line.actual === line.expected;
}

export function formatStep(line: StepLine, color: boolean): string {
  const paint = painter(color);
  if (line.who === "anyone" && line.expected === "OK" && line.detail === "" && line.actual === "OK") {
    return `${paint(DIM, jstClock(line.at))} · ${paint(DIM, line.what)}`;
  }
  const mark = asExpected(line) ? paint(GREEN, "✓") : paint(RED, "✗ UNEXPECTED");
  const result = line.actual === "OK" ? "ok" : paint(line.actual === line.expected ? GREEN : RED, line.actual);
  const expectation = asExpected(line) ? "" : ` (expected ${line.expected})`;
  return [
    paint(DIM, jstClock(line.at)),
    mark,
    line.who.padEnd(9),
    line.what.padEnd(58),
    `${result}${expectation}`,
    line.detail ? paint(DIM, line.detail) : "",
  ]
    .join(" ")
    .trimEnd();
}

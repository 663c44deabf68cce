// One line per step of `npm run simulate:recovery`: ✓ when the outcome is the one the rules demand (an accepted step
// or the expected refusal), ✗ UNEXPECTED otherwise.
//   21:30:01 ✓ attacker  signs in with the stolen password        PASSWORD_RESET_REQUIRED  For your security you must…
import type { StepLine } from "./simulate-recovery";

const TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Tokyo",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

const GREEN = "\u001b[32m";
const RED = "\u001b[31m";
const DIM = "\u001b[2m";
const RESET = "\u001b[0m";

export function asExpected(line: StepLine): boolean {
  return line.actual === line.expected;
}

export function formatStep(line: StepLine, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  if (line.who === "anyone" && line.expected === "OK" && line.detail === "" && line.actual === "OK") {
    return `${paint(DIM, TIME.format(line.at))} · ${paint(DIM, line.what)}`;
  }
  const mark = asExpected(line) ? paint(GREEN, "✓") : paint(RED, "✗ UNEXPECTED");
  const result = line.actual === "OK" ? "ok" : paint(line.actual === line.expected ? GREEN : RED, line.actual);
  const expectation = asExpected(line) ? "" : ` (expected ${line.expected})`;
  return [
    paint(DIM, TIME.format(line.at)),
    mark,
    line.who.padEnd(9),
    line.what.padEnd(58),
    `${result}${expectation}`,
    line.detail ? paint(DIM, line.detail) : "",
  ]
    .join(" ")
    .trimEnd();
}

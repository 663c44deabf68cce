// The server's notion of "now". Session timeouts, lockout windows and automatic releases read it, so tests can move
// time forward. The offset can only be changed when FIREBREAK_TEST_CLOCK=1 (never set in production).
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function testClockEnabled(): boolean {
  return process.env.FIREBREAK_TEST_CLOCK === "1" && process.env.NODE_ENV !== "production";
}

export function advanceClock(ms: number): void {
  if (!testClockEnabled()) throw new Error("the test clock is disabled");
  offsetMs += ms;
}

export function resetClock(): void {
  if (!testClockEnabled()) throw new Error("the test clock is disabled");
  offsetMs = 0;
}

// The server's notion of "now". Session timeouts, lockout windows and automatic releases read it, so tests can move
// time forward. The offset can only be changed when FIREBREAK_TEST_CLOCK=1 (never set in production).
//
// The offset lives on globalThis because a test process holds two copies of this module (the test's own import and
// the one bundled into build/index.js that serves HTTP); both must see the same clock.
import { liveEnv } from "~/env.server";

const state = globalThis as unknown as { firebreakClockOffsetMs?: number };

export function now(): Date {
  return new Date(Date.now() + (state.firebreakClockOffsetMs ?? 0));
}

export function testClockEnabled(): boolean {
  // NODE_ENV as the process runs, from the parsed environment: `remix build` replaces a literal
  // process.env.NODE_ENV with "production" at build time, which would switch the clock off in every build.
  const env = liveEnv();
  return env.FIREBREAK_TEST_CLOCK === "1" && env.NODE_ENV !== "production";
}

export function advanceClock(ms: number): void {
  if (!testClockEnabled()) throw new Error("the test clock is disabled");
  state.firebreakClockOffsetMs = (state.firebreakClockOffsetMs ?? 0) + ms;
}

export function resetClock(): void {
  if (!testClockEnabled()) throw new Error("the test clock is disabled");
  state.firebreakClockOffsetMs = 0;
}

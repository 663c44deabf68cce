// How long a step-up (a re-entered TOTP code) authorises sensitive actions. Its own module so both the guard and the
// spine (which the guard imports) can read it.
export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

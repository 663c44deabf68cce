// What the simulators' one line per step share: the time as a clock in Japan reads it (the replay's clock), and colour
// that the caller turns off when the output is not a terminal.
const TIME = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Asia/Tokyo",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hour12: false,
});

/** "21:30:01" in Japan time. */
export function jstClock(at: Date): string {
  return TIME.format(at);
}

export const GREEN = "\u001b[32m";
export const RED = "\u001b[31m";
export const DIM = "\u001b[2m";
const RESET = "\u001b[0m";

/** Wraps text in a colour code when `color` is on; returns it as it is otherwise. */
export function painter(color: boolean): (code: string, text: string) => string {
  return (code, text) => (color ? `${code}${text}${RESET}` : text);
}

// A birthday is a calendar date, the same day in every time zone: shown in each language's date order, never moved
// into JST (a customer born on 21 January was not born on the 21st at 09:00), and in Japanese with slashes, not ISO
// hyphens.
import { describe, expect, it } from "vitest";
import { formatCalendarDate } from "~/lib/format";

describe("formatCalendarDate", () => {
  it("writes the day in each language's order", () => {
    expect(formatCalendarDate("1967-01-21", "ja")).toBe("1967/01/21");
    expect(formatCalendarDate("1967-01-21", "en")).toBe("21 Jan 1967");
  });

  it("keeps the first and last day of a year on their own day", () => {
    expect(formatCalendarDate("1999-12-31", "ja")).toBe("1999/12/31");
    expect(formatCalendarDate("2000-01-01", "en")).toBe("01 Jan 2000");
  });

  it("shows anything that is not a plain date as it is", () => {
    expect(formatCalendarDate("", "ja")).toBe("");
    expect(formatCalendarDate("1967-13-45", "ja")).toBe("1967-13-45");
  });
});

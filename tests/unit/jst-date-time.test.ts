// One strict reader for typed JST dates and times, and one Intl formatter per language.
import { describe, expect, it } from "vitest";
import { formatCount, formatJst, formatYen } from "~/lib/format";
import { displayJstInput, parseJstDateTime, readJstDateTime, toJstInputValue } from "~/lib/jst-date-time";

const at = (iso: string) => new Date(iso).toISOString();

describe("typed JST dates and times", () => {
  it("reads the ways Japanese staff type them, full-width included, as Japan time", () => {
    const expected = at("2026-12-04T06:30:00Z"); // 15:30 JST
    for (const typed of [
      "2026/12/04 15:30",
      "2026-12-04 15:30",
      "2026-12-04T15:30",
      "2026/12/4 15:30:00",
      "２０２６／１２／０４　１５：３０",
      "2026年12月4日 15時30分",
      "  2026/12/04   15:30  ",
    ]) {
      expect(parseJstDateTime(typed)?.toISOString(), typed).toBe(expected);
    }
  });

  it("refuses dates that are not on the calendar instead of rolling them over", () => {
    expect(readJstDateTime("2026/02/31 10:00")).toEqual({ problem: "calendar" });
    expect(readJstDateTime("2026/02/29 10:00")).toEqual({ problem: "calendar" });
    expect(parseJstDateTime("2028/02/29 10:00")?.toISOString()).toBe(at("2028-02-29T01:00:00Z"));
    expect(readJstDateTime("2026/04/31 10:00")).toEqual({ problem: "calendar" });
    expect(readJstDateTime("2026/13/01 10:00")).toEqual({ problem: "calendar" });
    expect(readJstDateTime("2026/12/04 24:00")).toEqual({ problem: "time-of-day" });
    expect(readJstDateTime("2026/12/04 15:60")).toEqual({ problem: "time-of-day" });
  });

  it("refuses anything else, and a date alone unless the field allows it", () => {
    for (const typed of [
      "",
      "tomorrow 9am",
      "12/04/2026 15:30",
      "2026/12/04",
      "2026/12/04 15",
      "2026/12/04 15:30 PM",
    ]) {
      expect(parseJstDateTime(typed), typed).toBeNull();
    }
    expect(parseJstDateTime("2026/12/04", { requireTime: false })?.toISOString()).toBe(at("2026-12-03T15:00:00Z"));
  });

  it("shows an instant in the format it reads, in JST whatever the machine's zone", () => {
    expect(toJstInputValue(new Date("2026-12-04T06:30:00Z"))).toBe("2026/12/04 15:30");
    expect(toJstInputValue(new Date("2026-12-31T15:00:00Z"))).toBe("2027/01/01 00:00");
    expect(displayJstInput("2026-12-04T15:30")).toBe("2026/12/04 15:30");
    expect(displayJstInput("not a date")).toBe("not a date");
  });
});

describe("formatting per language", () => {
  it("yen, counts and JST date-times through Intl", () => {
    expect(formatYen(1234567)).toBe("¥1,234,567");
    expect(formatYen(-12000n, "en")).toBe("-¥12,000");
    expect(formatCount(900, "ja")).toBe("900");
    expect(formatCount(12345, "en")).toBe("12,345");
    expect(formatJst(new Date("2019-07-04T00:30:00Z"), "ja")).toBe("2019/07/04 09:30:00 JST");
    expect(formatJst(new Date("2019-07-04T00:30:00Z"), "en")).toBe("04 Jul 2019, 09:30:00 JST");
    expect(formatJst(null)).toBe("—");
    expect(formatJst("garbage")).toBe("—");
  });
});

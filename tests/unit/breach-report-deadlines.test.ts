// Report deadlines under APPI, counted from the day the company learned of the breach (that day not counted), each
// ending at 24:00 JST.
import { describe, expect, it } from "vitest";
import { computeDeadline, deadlineDateJst } from "~/incidents/breach-report/deadlines";

// 2019-07-03 10:00 JST, the morning after the first fraudulent top-ups of the 7pay breach.
const LEARNED = new Date("2019-07-03T01:00:00Z");

describe("breach report deadlines", () => {
  it("gives the preliminary report five days", () => {
    const deadline = computeDeadline("PRELIMINARY", LEARNED, true);
    expect(deadlineDateJst(deadline)).toBe("2019-07-08");
    expect(deadline.toISOString()).toBe("2019-07-08T15:00:00.000Z"); // 2019-07-09 00:00 JST
  });

  it("gives the final report 30 days, or 60 where unauthorised intent is possible", () => {
    expect(deadlineDateJst(computeDeadline("FINAL", LEARNED, false))).toBe("2019-08-02");
    expect(deadlineDateJst(computeDeadline("FINAL", LEARNED, true))).toBe("2019-09-01");
  });

  it("counts days in Japan: 23:30 JST is still the day of learning, 00:30 JST the next", () => {
    const lateEvening = new Date("2019-07-03T14:30:00Z"); // 23:30 JST on the 3rd
    const afterMidnight = new Date("2019-07-03T15:30:00Z"); // 00:30 JST on the 4th
    expect(deadlineDateJst(computeDeadline("FINAL", lateEvening, false))).toBe("2019-08-02");
    expect(deadlineDateJst(computeDeadline("FINAL", afterMidnight, false))).toBe("2019-08-03");
  });
});

// A cohort member's evidence in the reader's language (ADR 113): the device's platform is named as everywhere else
// (ADR 111), not shown as the wallet stores it, and the model stays as recorded.
import { describe, expect, it } from "vitest";
import { fixedT } from "~/i18n/fixed-t";
import { reasonText } from "~/incidents/cohorts/ui-reason-text";

const NEW_DEVICE = {
  code: "newDevice",
  detail: "First sign-in from ios iPhone 15 at 2019/07/03 15:03 JST (CN, 198.51.100.7)",
  evidence: { platform: "ios", model: "iPhone 15", at: "2019-07-03T06:03:00.000Z", country: "CN", ip: "198.51.100.7" },
};

describe("a cohort member's new-device evidence", () => {
  it("names the platform for a Japanese reader, the model and the address as recorded", () => {
    const text = reasonText(NEW_DEVICE, fixedT("ja", "cohorts"), "ja");
    expect(text).toContain("iOS iPhone 15 から初めてサインイン");
    expect(text).toContain("198.51.100.7");
    expect(text).not.toContain("ios");
  });

  it("names it the same way for an English reader", () => {
    expect(reasonText(NEW_DEVICE, fixedT("en", "cohorts"), "en")).toContain("First sign-in from iOS iPhone 15 at");
  });

  it("says an unknown device when the evidence names none", () => {
    const evidence = { ...NEW_DEVICE.evidence, platform: null, model: null };
    expect(reasonText({ ...NEW_DEVICE, evidence }, fixedT("ja", "cohorts"), "ja")).toContain("不明な端末");
  });
});

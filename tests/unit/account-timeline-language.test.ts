// An account's timeline in the reader's language (ADR 111, ADR 113): the system's own reasons and a reversal's
// reason code in a staff action's line and the device's platform are named in Japanese for a Japanese reader; a
// reason a member typed is quoted as typed.
import { describe, expect, it } from "vitest";
import { timelineOf, type TimelineColumns } from "~/accounts/timeline.server";

const at = "2026-12-07T01:00:00.000Z";

function columns(): TimelineColumns {
  return {
    timeline_logins: [
      {
        id: "l1",
        occurred_at: at,
        ip: "192.0.2.1",
        country: "JP",
        success: true,
        new_device: false,
        platform: "ios",
        model: "iPhone 15",
      },
    ],
    timeline_money: [],
    timeline_contacts: [],
    timeline_staff: [
      {
        seq: 3,
        occurred_at: at,
        action: "ledger.reverse",
        outcome: "SUCCESS",
        actor_role: "AGENT",
        actor_name: "鈴木",
        reason: "FRAUDULENT",
      },
      {
        seq: 2,
        occurred_at: at,
        action: "customer.sign-in.codes-locked",
        outcome: "SUCCESS",
        actor_role: null,
        actor_name: null,
        reason: "100 wrong authenticator codes in a row at sign-in: the password must be reset.",
      },
      {
        seq: 1,
        occurred_at: at,
        action: "account.freeze",
        outcome: "SUCCESS",
        actor_role: "AGENT",
        actor_name: "鈴木",
        reason: "caller reported a stolen phone",
      },
    ],
    timeline_risk: [],
  } as unknown as TimelineColumns;
}

describe("an account's timeline in Japanese", () => {
  it("names the system's reason and the platform in Japanese, and quotes a typed reason as typed", () => {
    const summaries = timelineOf(columns(), { language: "ja" }).events.map((event) => event.summary);
    expect(summaries).toContainEqual(expect.stringContaining("サインイン時に認証コードを100回続けて誤りました。"));
    expect(summaries).toContainEqual(expect.stringContaining("caller reported a stolen phone"));
    expect(summaries).toContainEqual(expect.stringContaining("iOS iPhone 15 からサインイン"));
    expect(summaries.join("\n")).not.toContain("wrong authenticator codes");
  });

  it("names a reversal's reason code, the code kept beside it (ADR 113)", () => {
    const summaries = timelineOf(columns(), { language: "ja" }).events.map((event) => event.summary);
    expect(summaries).toContainEqual(expect.stringContaining("不正利用（アカウント乗っ取り） (FRAUDULENT)"));
    const english = timelineOf(columns(), { language: "en" }).events.map((event) => event.summary);
    expect(english).toContainEqual(expect.stringContaining("Fraudulent (account takeover) (FRAUDULENT)"));
  });

  it("keeps the English reader's sentence as it was written", () => {
    const summaries = timelineOf(columns(), { language: "en" }).events.map((event) => event.summary);
    expect(summaries).toContainEqual(
      expect.stringContaining("100 wrong authenticator codes in a row at sign-in: the password must be reset."),
    );
    expect(summaries).toContainEqual(expect.stringContaining("iOS iPhone 15"));
  });
});

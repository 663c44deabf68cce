// The reason a notice was not sent, as the notices' pages show it: in the reader's language. The stored reason is the
// code and the worker's English detail (with a UTC timestamp), which a Japanese page must not show as it is.
import { describe, expect, it } from "vitest";
import { fixedT } from "~/i18n/fixed-t";
import { skipReasonText } from "~/notify/components/notice-status-list";

const STORED =
  "EMAIL_CHANGED_DURING_INCIDENT: the email address was changed on 2019-07-03T06:03:07.313Z (around an incident or " +
  "from a device new to the account) and no agent has restored or confirmed it since: it may be the attacker's";

describe("skipReasonText", () => {
  it("gives a Japanese reader the translated reason alone, without the English detail or a UTC time", () => {
    const text = skipReasonText(STORED, fixedT("ja", "notify"), "ja");
    expect(text).toBe(
      "インシデント前後または新しい端末から登録アドレスが変更され、担当者が確認していません（攻撃者のアドレスの可能性があります）",
    );
  });

  it("keeps the detail for an English reader", () => {
    const text = skipReasonText(STORED, fixedT("en", "notify"), "en");
    expect(text).toMatch(
      /^The address was changed around the incident .* — the email address was changed on 2019-07-03/,
    );
  });

  it("shows an unknown reason as stored", () => {
    expect(skipReasonText("SOMETHING_NEW: details", fixedT("ja", "notify"), "ja")).toBe("SOMETHING_NEW: details");
    expect(skipReasonText(null, fixedT("ja", "notify"), "ja")).toBeNull();
  });

  it("reads an old row's English phrases of what the notice needs back into the reader's language", () => {
    const old = "MISSING_DATA: the notice needs the incident reference; customer.name (required)";
    expect(skipReasonText(old, fixedT("ja", "notify"), "ja")).toBe(
      "このアカウントには通知に必要なデータがありません — インシデントの受付番号、「customer.name」の正しい値",
    );
    expect(skipReasonText(old, fixedT("en", "notify"), "en")).toMatch(
      /— the incident reference, a valid value for customer\.name$/,
    );
  });

  it("keeps an old detail with a phrase it does not know, and gives a Japanese reader the reason alone", () => {
    const old = "MISSING_DATA: the notice needs the incident reference; something new";
    expect(skipReasonText(old, fixedT("ja", "notify"), "ja")).toBe("このアカウントには通知に必要なデータがありません");
  });
});

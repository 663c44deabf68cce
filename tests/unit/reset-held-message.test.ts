// A forced reset whose mail the outbox refused: the member reads the sentence in their language, with the outbox's
// reason code kept as it is (it was the service's English sentence whatever the language).
import { describe, expect, it } from "vitest";
import { describeReset } from "~/recovery/recovery-messages";

const held = {
  sessionsRevoked: 2,
  devicesRevoked: 1,
  mustEnrollTwoFactor: false,
  delivery: {
    kind: "HELD" as const,
    code: "MAIL_NOT_QUEUED",
    message: "No reset link was sent: the outbox refused the address on file (INVALID_EMAIL).",
    reason: "INVALID_EMAIL",
  },
};

describe("a held reset link, in the member's language", () => {
  it("says the outbox refused the address, in Japanese and in English", () => {
    const ja = describeReset(held, "ja");
    expect(ja).toContain(
      "リセットリンクは送信されていません。登録済みのアドレスが送信キューに拒否されました（INVALID_EMAIL）。",
    );
    expect(ja).not.toContain("No reset link was sent");
    expect(describeReset(held, "en")).toContain(
      "No reset link was sent: the outbox refused the address on file (INVALID_EMAIL).",
    );
  });
});

// How SMTP answers map to message outcomes, the backoff, and the send-rate bucket.
import { describe, expect, it } from "vitest";
import { RateLimiter } from "~/notify/rate-limiter";
import { classifySendError, classifySentInfo, retryDelayMs } from "~/notify/smtp-outcome";

function error(fields: Record<string, unknown>) {
  return Object.assign(new Error(String(fields.message ?? "boom")), fields);
}

describe("classifySendError", () => {
  it("retries 4xx replies and fails 5xx replies at once", () => {
    expect(classifySendError(error({ code: "EMESSAGE", responseCode: 451 }))).toMatchObject({
      kind: "retry",
      connectionLevel: false,
    });
    expect(classifySendError(error({ code: "EENVELOPE", responseCode: 550 }))).toMatchObject({
      kind: "fail",
      failure: "REJECTED",
    });
    expect(classifySendError(error({ code: "EMESSAGE", responseCode: 554 }))).toMatchObject({ kind: "fail" });
    // 421 is the server closing the session: retry, and treat the relay as unavailable.
    expect(classifySendError(error({ code: "ECONNECTION", responseCode: 421 }))).toMatchObject({
      kind: "retry",
      connectionLevel: true,
    });
    // A message nodemailer could not build never reached the server: not a bounce.
    expect(classifySendError(error({ code: "ESTREAM" }))).toMatchObject({ kind: "fail", failure: "NOT_SENDABLE" });
    // 503 is about the session's state, not the message.
    expect(classifySendError(error({ code: "EPROTOCOL", responseCode: 503 }))).toMatchObject({ kind: "retry" });
  });

  it("retries a relay that refuses our sender or our login as the relay being unavailable, not a bounce", () => {
    for (const e of [
      error({ code: "EENVELOPE", responseCode: 530, command: "MAIL FROM", message: "Authentication required" }),
      error({ code: "EENVELOPE", responseCode: 550, command: "MAIL FROM", message: "5.7.1 Sender not permitted" }),
      error({ code: "EENVELOPE", responseCode: 553, command: "MAIL FROM", message: "5.7.1 Sender rejected" }),
      error({ code: "EENVELOPE", responseCode: 555, command: "MAIL FROM", message: "5.5.4 Unsupported option" }),
      error({ code: "EENVELOPE", responseCode: 530, command: "RCPT TO", message: "5.7.0 Authentication required" }),
      error({ code: "EMESSAGE", responseCode: 535, command: "DATA", message: "5.7.8 Bad credentials" }),
    ]) {
      expect(classifySendError(e)).toMatchObject({ kind: "retry", connectionLevel: true });
    }
    // A message too large for the relay, and a recipient refused for good, are about the message: bounces.
    expect(
      classifySendError(error({ code: "EENVELOPE", responseCode: 552, command: "MAIL FROM", message: "too big" })),
    ).toMatchObject({ kind: "fail", failure: "REJECTED" });
    expect(
      classifySendError(error({ code: "EENVELOPE", responseCode: 550, command: "RCPT TO", message: "5.1.1 No user" })),
    ).toMatchObject({ kind: "fail", failure: "REJECTED" });
  });

  it("retries a relay that refuses the session itself, whatever its reply code, as the relay being unavailable", () => {
    for (const e of [
      error({ code: "EPROTOCOL", responseCode: 554, command: "CONN", message: "Invalid greeting" }),
      error({ code: "EPROTOCOL", responseCode: 521, command: "CONN", message: "Invalid greeting" }),
      error({ code: "EPROTOCOL", responseCode: 550, command: "HELO", message: "Invalid HELO" }),
      error({ code: "EPROTOCOL", responseCode: 502, command: "LHLO", message: "Invalid LHLO" }),
      error({ code: "ECONNECTION", responseCode: 554, command: "EHLO", message: "Server terminates connection" }),
    ]) {
      expect(classifySendError(e)).toMatchObject({ kind: "retry", connectionLevel: true });
    }
    // The same codes about a message still settle it.
    expect(classifySendError(error({ code: "EENVELOPE", responseCode: 554, command: "DATA" }))).toMatchObject({
      kind: "fail",
      failure: "REJECTED",
    });
  });

  it("retries failures before any session existed", () => {
    for (const e of [
      error({ code: "ESOCKET", originalCode: "ECONNREFUSED" }),
      error({ code: "ETIMEDOUT", timeoutType: "CONNECT_TIMEOUT" }),
      error({ code: "ETIMEDOUT", timeoutType: "GREETING_TIMEOUT" }),
      error({ code: "EDNS" }),
      error({ code: "ETLS" }),
      error({ code: "EAUTH", responseCode: undefined }),
      error({ code: "ECONNECTION", message: "Reached maximum number of retries after connection was closed" }),
    ]) {
      expect(classifySendError(e)).toMatchObject({ kind: "retry", connectionLevel: true });
    }
  });

  it("treats a connection lost mid-transaction without a reply as uncertain, never as retryable", () => {
    for (const e of [
      error({ code: "ECONNECTION", message: "Connection closed unexpectedly", command: "CONN" }),
      error({ code: "ETIMEDOUT", timeoutType: "SOCKET_TIMEOUT" }),
      error({ code: "ESOCKET", originalCode: "ECONNRESET" }),
      error({ message: "something nobody expected" }),
    ]) {
      // In doubt, and a sign the relay may be dropping sessions: the worker opens its breaker on it.
      expect(classifySendError(e)).toMatchObject({ kind: "uncertain", connectionLost: true });
    }
  });
});

describe("classifySentInfo", () => {
  it("counts a recipient listed in rejected as a failure, by its reply code", () => {
    expect(
      classifySentInfo(
        { accepted: [], rejected: ["a@x.example"], rejectedErrors: [error({ responseCode: 550, response: "550 no" })] },
        "A@x.example",
      ),
    ).toMatchObject({ kind: "fail", reason: "recipient rejected: 550 no", failure: "REJECTED" });
    expect(
      classifySentInfo(
        {
          accepted: [],
          rejected: ["a@x.example"],
          rejectedErrors: [error({ responseCode: 452, response: "452 full" })],
        },
        "a@x.example",
      ),
    ).toMatchObject({ kind: "retry" });
    expect(
      classifySentInfo(
        { accepted: ["a@x.example"], rejected: [], response: "250 ok: queued as X", messageId: "<m@x>" },
        "a@x.example",
      ),
    ).toEqual({ kind: "sent", response: "250 ok: queued as X", messageId: "<m@x>" });
  });
});

describe("retryDelayMs", () => {
  it("doubles up to the cap, with half of each delay random", () => {
    expect(retryDelayMs(1, 30_000, 1_800_000, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, 30_000, 1_800_000, () => 1)).toBe(30_000);
    expect(retryDelayMs(4, 30_000, 1_800_000, () => 1)).toBe(240_000);
    expect(retryDelayMs(20, 30_000, 1_800_000, () => 1)).toBe(1_800_000);
    expect(retryDelayMs(20, 30_000, 1_800_000, () => 0)).toBe(900_000);
  });
});

describe("RateLimiter", () => {
  it("hands out at most a second's worth at once, then refills at the rate", async () => {
    let clock = 0;
    const limiter = new RateLimiter(10, () => clock);
    expect(await limiter.take(50)).toBe(10);
    clock += 300; // 3 tokens
    expect(await limiter.take(50)).toBe(3);
    limiter.refund(2);
    expect(await limiter.take(50)).toBe(2);
    expect(new RateLimiter(0).unlimited).toBe(true);
    expect(await new RateLimiter(0).take(7)).toBe(7);
  });
});

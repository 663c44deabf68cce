// What an SMTP attempt means for the message. The one question that matters for "at most one email per key": could
// the server have accepted it? A reply code answers it (any 4xx/5xx reply means "not accepted"); so does a failure
// before the session existed (refused connection, DNS, TLS, login). A connection that dies mid-session without a
// reply does not: the message may already be queued on the server. That case is UNCERTAIN and never retried on its
// own. See docs/decisions/008-notification-outbox.md.

export type SendOutcome =
  | { kind: "sent"; response: string | null; messageId: string | null }
  | {
      kind: "retry";
      reason: string;
      /** the relay itself is unreachable or refusing sessions */ connectionLevel: boolean;
    }
  | {
      kind: "fail";
      reason: string;
      /** the server refused it for good (a bounce), or nothing the server could take was ever handed over */
      failure: "REJECTED" | "NOT_SENDABLE";
    }
  | {
      kind: "uncertain";
      reason: string;
      /** the connection was lost without a reply (not our own deadline): the relay may be dropping every session */
      connectionLost?: boolean;
    };

interface SmtpLikeError {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
  rejectedErrors?: SmtpLikeError[];
}

// Socket errors that happen while connecting: no session, so nothing can have been handed over.
const CONNECT_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EADDRNOTAVAIL",
]);
const CONNECT_TIMEOUTS = new Set(["CONNECT_TIMEOUT", "GREETING_TIMEOUT", "UPGRADE_TIMEOUT"]);
// Failures nodemailer reports before any SMTP transaction: configuration, TLS, authentication, our own input.
const PRE_SESSION_CODES = new Set(["EDNS", "ETLS", "EAUTH", "ENOAUTH", "EOAUTH2", "EPROXY", "ECONFIG", "EREQUIRETLS"]);
const REASON_LIMIT = 500;

function short(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > REASON_LIMIT ? `${flat.slice(0, REASON_LIMIT - 1)}…` : flat;
}

function byReplyCode(code: number, reason: string): SendOutcome {
  // 421: the service is closing the session (overloaded, shutting down): the relay, not this message.
  // 503 (bad sequence of commands) is about the session, not the message: nodemailer treats it as transient too.
  if ((code >= 400 && code < 500) || code === 503) return { kind: "retry", reason, connectionLevel: code === 421 };
  return { kind: "fail", reason, failure: "REJECTED" };
}

// The commands that open a session: the greeting (nodemailer names it CONN) and the hello. A refusal there — a 554
// "no SMTP service here" or 521 "does not accept mail" in place of the greeting, a 5xx to EHLO and HELO — says the
// relay will not serve us, whoever the message is for, and comes before any message was handed over.
const SESSION_OPENING_COMMANDS = new Set(["CONN", "EHLO", "HELO", "LHLO"]);

/**
 * A refusal of our sender at MAIL FROM — before any recipient was named — is about our account with the relay, the
 * same for every message: a login now required (530), this sender no longer allowed to relay (550/553 5.7.1), a
 * parameter it will not take (555). Only a message too large for it (552) is about the message. Authentication
 * refused (530 "required", 535 "credentials invalid") is the relay and us, whichever command it answers.
 */
const SENDER_COMMAND = "MAIL FROM";
const MESSAGE_TOO_LARGE = 552;
const AUTHENTICATION_REPLIES = new Set([530, 535]);

function refusesUsNotTheMessage(replyCode: number, command: string | undefined): boolean {
  if (AUTHENTICATION_REPLIES.has(replyCode)) return true;
  return command === SENDER_COMMAND && replyCode !== MESSAGE_TOO_LARGE;
}

/** Classifies an error thrown by nodemailer's sendMail. */
export function classifySendError(error: unknown): SendOutcome {
  const err = (error ?? {}) as SmtpLikeError;
  const reason = short(err.message ?? String(error));
  const replyCode = err.responseCode ?? err.rejectedErrors?.[0]?.responseCode;
  // A reply, even a permanent one, that refuses the session is the relay being unavailable, not the victim's mail
  // bouncing: retried behind the breaker like a refused connection, so a relay that refuses everyone for a while does
  // not mark every queued notice failed for good (ADR 123). Any reply means nothing was accepted, so a retry never
  // sends a second copy.
  if (typeof replyCode === "number" && replyCode >= 400 && err.command && SESSION_OPENING_COMMANDS.has(err.command)) {
    return { kind: "retry", reason, connectionLevel: true };
  }
  // The same for a relay that refuses our sender or our login: the relay is unusable until its operator or ours acts,
  // and every notice waits for that behind the breaker rather than bouncing for good.
  if (typeof replyCode === "number" && replyCode >= 500 && refusesUsNotTheMessage(replyCode, err.command)) {
    return { kind: "retry", reason, connectionLevel: true };
  }
  if (typeof replyCode === "number" && replyCode >= 400) return byReplyCode(replyCode, reason);

  if (err.code && PRE_SESSION_CODES.has(err.code)) return { kind: "retry", reason, connectionLevel: true };
  if (err.code === "ESOCKET" && err.originalCode && CONNECT_SOCKET_CODES.has(err.originalCode)) {
    return { kind: "retry", reason, connectionLevel: true };
  }
  if (err.code === "ETIMEDOUT" && err.timeoutType && CONNECT_TIMEOUTS.has(err.timeoutType)) {
    return { kind: "retry", reason, connectionLevel: true };
  }
  // The pool gives up on a message whose connection closed before a byte of it was sent (we allow it no requeues),
  // or refuses work after close(): neither handed anything to the server.
  if (
    err.code === "ECONNECTION" &&
    (/Reached maximum number of retries after connection was closed/.test(reason) ||
      /Connection pool was closed/.test(reason) ||
      err.command === "API")
  ) {
    return { kind: "retry", reason, connectionLevel: true };
  }
  // Our own problems building the message: nothing went out.
  if (err.code === "EENVELOPE" || err.code === "EMESSAGE" || err.code === "ESTREAM") {
    return { kind: "fail", reason, failure: "NOT_SENDABLE" };
  }
  return {
    kind: "uncertain",
    reason: `connection lost mid-transaction without a reply: ${reason}`,
    connectionLost: true,
  };
}

interface SentInfoLike {
  accepted?: (string | { address: string })[];
  rejected?: (string | { address: string })[];
  rejectedErrors?: SmtpLikeError[];
  response?: string;
  messageId?: string;
}

function addressOf(entry: string | { address: string }): string {
  return (typeof entry === "string" ? entry : entry.address).toLowerCase();
}

/** Classifies a resolved sendMail: a recipient listed in `rejected` is a failure even though the call succeeded. */
export function classifySentInfo(info: SentInfoLike, recipient: string): SendOutcome {
  const rejected = (info.rejected ?? []).map(addressOf);
  if (rejected.includes(recipient.toLowerCase())) {
    const err = info.rejectedErrors?.[0];
    const reason = short(`recipient rejected: ${err?.response ?? err?.message ?? "no reason given"}`);
    return typeof err?.responseCode === "number"
      ? byReplyCode(err.responseCode, reason)
      : { kind: "fail", reason, failure: "REJECTED" };
  }
  const accepted = (info.accepted ?? []).map(addressOf);
  if (!accepted.includes(recipient.toLowerCase())) {
    return {
      kind: "fail",
      reason: "the server neither accepted nor rejected the recipient",
      failure: "NOT_SENDABLE",
    };
  }
  return { kind: "sent", response: info.response ? short(info.response) : null, messageId: info.messageId ?? null };
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of many messages spread
 * out instead of hitting a recovering server together. attempt is 1 for the first retry.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

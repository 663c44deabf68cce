// Text messages. Recovery codes go to a customer's known-good phone through an SmsTransport chosen by the environment:
// Twilio when its three settings are present (docs/decisions/016-recovery-proof-of-possession.md), else, outside
// production, an in-memory development sink that the console shows at /dev/sms (like /dev/mail). Production without
// Twilio settings has no SMS channel: sending refuses with a clear message, never "succeeds" silently.
import { randomUUID } from "node:crypto";
import { env } from "~/env.server";
import { DomainError } from "~/lib/domain-error";
import { runtimeNodeEnv } from "~/notify/email-html-response.server";

export interface SmsMessage {
  to: string;
  body: string;
}

export interface SmsTransport {
  readonly name: "twilio" | "dev-sink";
  /** Resolves with the provider's message id once the provider accepted the message. */
  send(message: SmsMessage): Promise<{ id: string }>;
}

export interface SinkSms extends SmsMessage {
  id: string;
  receivedAt: string;
}

const KEEP_MESSAGES = 500;
// Shared by the Remix build and a test's own import of this module (two module copies, one process).
const store = globalThis as unknown as { firebreakSmsSink?: SinkSms[] };

function sink(): SinkSms[] {
  store.firebreakSmsSink ??= [];
  return store.firebreakSmsSink;
}

/** Newest first. */
export function listSinkSms(): SinkSms[] {
  return [...sink()].reverse();
}

export function devSmsAvailable(): boolean {
  return runtimeNodeEnv() !== "production";
}

const devSinkTransport: SmsTransport = {
  name: "dev-sink",
  async send(message) {
    const row = { ...message, id: randomUUID(), receivedAt: new Date().toISOString() };
    const messages = sink();
    messages.push(row);
    if (messages.length > KEEP_MESSAGES) messages.splice(0, messages.length - KEEP_MESSAGES);
    return { id: row.id };
  },
};

function twilioTransport(accountSid: string, authToken: string, from: string): SmsTransport {
  return {
    name: "twilio",
    async send(message) {
      // Loaded on first use: the SDK is large and most processes never send a text.
      const { default: twilio } = await import("twilio");
      const client = twilio(accountSid, authToken);
      const sender = from.startsWith("MG") ? { messagingServiceSid: from } : { from };
      try {
        const sent = await client.messages.create({ to: message.to, body: message.body, ...sender });
        return { id: sent.sid };
      } catch {
        // The provider's error text may echo the body (the code): say only that it failed.
        throw new DomainError("SMS_NOT_SENT", "The text message could not be sent. Try email, or try again.", 503);
      }
    },
  };
}

const noSmsTransport: SmsTransport = {
  name: "twilio",
  async send() {
    throw new DomainError(
      "SMS_NOT_CONFIGURED",
      "Text messages are not configured on this console: send the code by email instead.",
      409,
    );
  },
};

export function smsTransport(): SmsTransport {
  const { TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, SMS_FROM } = env();
  if (TWILIO_ACCOUNT_SID && TWILIO_AUTH_TOKEN && SMS_FROM) {
    return twilioTransport(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, SMS_FROM);
  }
  return devSmsAvailable() ? devSinkTransport : noSmsTransport;
}

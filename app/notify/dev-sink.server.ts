// The development mail sink: with no SMTP settings outside production, the worker delivers to this in-process SMTP
// server and the console's sent-mail viewer (/dev/mail) shows what arrived. Mail is kept in memory only (the last
// few hundred messages), on globalThis so the viewer in the Remix build and the worker started by scripts/start.ts
// see the same store. Never started in production (the worker refuses to run there without SMTP settings).
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { simpleParser, type AddressObject } from "mailparser";
import { SMTPServer } from "smtp-server";
import { DEDUPE_HEADER } from "~/notify/dedupe";
import { runtimeNodeEnv } from "~/notify/email-html-response.server";

const KEEP_MESSAGES = 500;
const MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

export interface SinkMessage {
  id: string;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  dedupeHeader: string | null;
  text: string;
  html: string | null;
  size: number;
}

const store = globalThis as unknown as { firebreakDevSink?: SinkMessage[] };

function messages(): SinkMessage[] {
  store.firebreakDevSink ??= [];
  return store.firebreakDevSink;
}

/** Newest first. */
export function listSinkMessages(): SinkMessage[] {
  return [...messages()].reverse();
}

export function findSinkMessage(id: string): SinkMessage | null {
  return messages().find((m) => m.id === id) ?? null;
}

function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return "";
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(", ");
}

export interface RunningSink {
  host: string;
  port: number;
  close(): Promise<void>;
}

export async function startDevSink(port = 0): Promise<RunningSink> {
  if (runtimeNodeEnv() === "production") throw new Error("the development mail sink never runs in production");
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((mail) => {
            const list = messages();
            const header = mail.headers.get(DEDUPE_HEADER.toLowerCase());
            list.push({
              id: randomUUID(),
              receivedAt: new Date().toISOString(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: addressText(mail.from),
              to: addressText(mail.to),
              subject: mail.subject ?? "",
              messageId: mail.messageId ?? null,
              dedupeHeader: typeof header === "string" ? header : null,
              text: mail.text ?? "",
              html: typeof mail.html === "string" ? mail.html : null,
              size: raw.length,
            });
            if (list.length > KEEP_MESSAGES) list.splice(0, list.length - KEEP_MESSAGES);
            callback();
          })
          .catch((error: Error) => callback(error));
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port: address.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// The SMTP side of the worker: a pooled nodemailer transport built from the environment, or pointed at the in-process
// development sink when no SMTP server is configured (never in production).
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "~/env.server";
import { startDevSink, type RunningSink } from "~/notify/dev-sink.server";

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  /** Plain SMTP without STARTTLS: only for the local sink. */
  ignoreTLS?: boolean;
}

const TEN_SECONDS = 10_000;
const THIRTY_SECONDS = 30_000;

export function createPooledTransport(settings: SmtpSettings, options: { maxConnections: number }): Transporter {
  return nodemailer.createTransport({
    pool: true,
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ignoreTLS: settings.ignoreTLS ?? false,
    auth: settings.user ? { user: settings.user, pass: settings.pass ?? "" } : undefined,
    maxConnections: options.maxConnections,
    maxMessages: 1000,
    // nodemailer would otherwise resend a message on a fresh connection after a drop; only the outbox decides
    // whether a message may be sent again (at most one email per dedupe key).
    maxRequeues: 0,
    // Well inside the worker's lease, so a silent server turns into an error before the lease expires. The socket
    // timeout is one of inactivity: a server that trickles its answers a byte at a time is not bounded by it; the
    // outbox worker gives each message a deadline of its own for that (ADR 090).
    connectionTimeout: TEN_SECONDS,
    greetingTimeout: TEN_SECONDS,
    socketTimeout: THIRTY_SECONDS,
    logger: false,
  });
}

export class MailConfigurationError extends Error {}

/**
 * The SMTP server to deliver to: SMTP_HOST/PORT/SECURE/USER/PASS, or (outside production, when SMTP_HOST is unset)
 * a freshly started development sink, returned so the caller can close it.
 */
export async function resolveSmtpSettings(): Promise<{ settings: SmtpSettings; devSink: RunningSink | null }> {
  const e = env();
  if (e.SMTP_HOST) {
    const secure = e.SMTP_SECURE === "true";
    return {
      settings: {
        host: e.SMTP_HOST,
        port: e.SMTP_PORT ?? (secure ? 465 : 587),
        secure,
        user: e.SMTP_USER,
        pass: e.SMTP_PASS,
      },
      devSink: null,
    };
  }
  if (e.NODE_ENV === "production") {
    throw new MailConfigurationError(
      "SMTP_HOST is required in production: the development mail sink is disabled there",
    );
  }
  const devSink = await startDevSink();
  return {
    settings: { host: devSink.host, port: devSink.port, secure: false, ignoreTLS: true },
    devSink,
  };
}

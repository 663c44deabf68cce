// A real SMTP server for tests (smtp-server + mailparser) that can be told how to answer:
//   accept (default) · answer the end of DATA with a 4xx N times · answer 5xx · reject a recipient at RCPT TO ·
//   drop the connection after the data without replying (the server may have queued it) · go down and come back ·
//   refuse every session in its greeting (a relay that will not serve us at all) · refuse the sender at MAIL FROM (a
//   relay that now wants a login, or no longer lets this sender relay).
// It counts accepted messages per X-Firebreak-Dedupe-Key, so a test can assert "at most one email per key".
import type { AddressInfo, Socket } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { OutboxWorker } from "~/notify/outbox-worker.server";

export interface SinkMail {
  parsed: ParsedMail;
  raw: Buffer;
  envelopeTo: string[];
  dedupeKey: string | null;
  messageId: string | null;
  /** false when the sink dropped the connection instead of answering (a real server might have queued it). */
  acknowledged: boolean;
}

type Reply = { code: number; message: string };
type Behaviour = { kind: "accept" } | { kind: "reply"; reply: Reply; times: number } | { kind: "drop"; times: number };

function smtpError(reply: Reply): Error & { responseCode: number } {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export class SmtpSink {
  readonly received: SinkMail[] = [];
  private behaviours: Behaviour[] = [];
  private rejectedRecipients = new Map<string, Reply>();
  private sessionRefusal: Reply | null = null;
  private senderRefusal: Reply | null = null;
  private sockets = new Set<Socket>();
  private server: SMTPServer | null = null;
  /** Runs after a message's data arrived and before the sink answers: delay it, kill a worker, … */
  onMessage: ((mail: SinkMail) => void | Promise<void>) | null = null;

  private constructor(public port: number) {}

  static async start(port = 0): Promise<SmtpSink> {
    const sink = new SmtpSink(port);
    await sink.listen();
    return sink;
  }

  private async listen(): Promise<void> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      // smtp-server answers the refusal in place of its 220 greeting, then closes the connection.
      onConnect: (_session, callback) => callback(this.sessionRefusal ? smtpError(this.sessionRefusal) : undefined),
      onMailFrom: (_address, _session, callback) =>
        callback(this.senderRefusal ? smtpError(this.senderRefusal) : undefined),
      onRcptTo: (address, _session, callback) => {
        const reply = this.rejectedRecipients.get(address.address.toLowerCase());
        callback(reply ? smtpError(reply) : undefined);
      },
      onData: (stream, session, callback) => {
        // A client that vanishes mid-message (a killed worker) ends the stream with an error: nothing was received.
        this.handleData(stream, session, callback).catch((error: Error) => callback(error));
      },
    });
    server.on("error", () => undefined); // connections dropped on purpose report errors; they are expected here
    server.server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
  }

  private async handleData(
    stream: SMTPServerDataStream,
    session: SMTPServerSession,
    callback: (err?: Error | null, message?: string) => void,
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const behaviour = this.behaviours[0] ?? { kind: "accept" };
    if (behaviour.kind !== "accept" && --behaviour.times <= 0) this.behaviours.shift();
    if (behaviour.kind === "reply") return callback(smtpError(behaviour.reply));

    const raw = Buffer.concat(chunks);
    const parsed = await simpleParser(raw);
    const header = parsed.headers.get("x-firebreak-dedupe-key");
    const mail: SinkMail = {
      parsed,
      raw,
      envelopeTo: session.envelope.rcptTo.map((r) => r.address),
      dedupeKey: typeof header === "string" ? header : null,
      messageId: parsed.messageId ?? null,
      acknowledged: behaviour.kind === "accept",
    };
    // Counted as soon as the data is complete: from here on a real server may have queued it.
    this.received.push(mail);
    if (this.onMessage) await this.onMessage(mail);
    if (behaviour.kind === "drop") {
      for (const socket of this.sockets)
        if (session.remoteAddress && socket.remotePort === session.remotePort) socket.destroy();
      return;
    }
    callback(null, "OK: queued");
  }

  /** Answer the end of DATA with a temporary failure the next `times` messages. */
  failNext(times: number, reply: Reply = { code: 451, message: "4.3.0 Temporary local problem, try again" }): void {
    this.behaviours.push({ kind: "reply", reply, times });
  }

  /** Refuse every message for good (until accept()). */
  rejectAll(reply: Reply = { code: 554, message: "5.7.1 Message rejected" }): void {
    this.behaviours.push({ kind: "reply", reply, times: Number.POSITIVE_INFINITY });
  }

  /** Take the data, then drop the connection without answering, the next `times` messages. */
  dropAfterData(times: number): void {
    this.behaviours.push({ kind: "drop", times });
  }

  rejectRecipient(address: string, reply: Reply = { code: 550, message: "5.1.1 No such user here" }): void {
    this.rejectedRecipients.set(address.toLowerCase(), reply);
  }

  /** Answer every new connection with `reply` instead of a greeting, and close it (until accept()). */
  refuseSessions(reply: Reply = { code: 554, message: "5.7.1 No SMTP service for you here" }): void {
    this.sessionRefusal = reply;
  }

  /** Answer every MAIL FROM with `reply` (until accept()). */
  refuseSender(reply: Reply = { code: 530, message: "5.7.0 Authentication required" }): void {
    this.senderRefusal = reply;
  }

  accept(): void {
    this.behaviours = [];
    this.rejectedRecipients.clear();
    this.sessionRefusal = null;
    this.senderRefusal = null;
  }

  /** Forgets what was received (between tests sharing one sink). */
  clearReceived(): void {
    this.received.length = 0;
  }

  countByKey(dedupeKeyHeader: string): number {
    return this.received.filter((m) => m.dedupeKey === dedupeKeyHeader).length;
  }

  /** The largest number of messages any one dedupe key received. */
  maxPerKey(): number {
    const counts = new Map<string, number>();
    for (const m of this.received) counts.set(m.dedupeKey ?? "", (counts.get(m.dedupeKey ?? "") ?? 0) + 1);
    return Math.max(0, ...counts.values());
  }

  /** Goes down hard: stops listening and cuts every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.server.close(() => resolve()));
  }

  /** Comes back on the same port. */
  async restart(): Promise<void> {
    if (!this.server) await this.listen();
  }
}

/** A test file's sink and the worker its current test started (set `worker` so the next test stops it). */
export interface SinkAndWorker {
  readonly sink: SmtpSink;
  worker: OutboxWorker | null;
}

/**
 * One sink for the whole file, and a clean slate before each test: the previous test's worker stopped, the sink
 * accepting again with no hook. Call at the top level of a test file.
 */
export function sinkAndWorkerPerFile(): SinkAndWorker {
  let sink: SmtpSink | null = null;
  const fixture = {
    get sink(): SmtpSink {
      if (!sink) throw new Error("the SMTP sink starts in beforeAll: use it inside a test or a hook");
      return sink;
    },
    worker: null as OutboxWorker | null,
  };
  beforeAll(async () => {
    sink = await SmtpSink.start();
  });
  afterAll(async () => {
    await fixture.worker?.stop();
    await sink?.stop();
  });
  beforeEach(async () => {
    await fixture.worker?.stop();
    fixture.worker = null;
    fixture.sink.accept();
    fixture.sink.onMessage = null;
  });
  return fixture;
}

/** Polls until `check` holds (returns truthy), or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// An SMTP server that answers everything at once except the end of a message's data: that answer it trickles, one byte
// at a time and never finishing (a tarpit). Each byte restarts a client's inactivity timeout, so only a deadline on
// the whole transaction ends it. It counts the messages whose data it took, per X-Firebreak-Dedupe-Key, and the
// connections closed while it was still trickling.
import net from "node:net";

export interface TricklingSmtp {
  port: number;
  /** The dedupe key header of each message whose data arrived, in order. */
  readonly received: string[];
  /** Connections the client closed while their answer was still trickling. */
  closedWhileTrickling(): number;
  close(): Promise<void>;
}

const DATA_END = "\r\n.\r\n";

export async function startTricklingSmtp(options: { byteIntervalMs?: number } = {}): Promise<TricklingSmtp> {
  const byteIntervalMs = options.byteIntervalMs ?? 50;
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  let closedWhileTrickling = 0;

  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = "";
    let inData = false;
    let trickle: ReturnType<typeof setInterval> | null = null;
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      if (trickle) {
        clearInterval(trickle);
        closedWhileTrickling++;
      }
    });
    const reply = (line: string) => socket.write(`${line}\r\n`);

    const startTrickle = () => {
      const text = "250-still thinking about it\r\n";
      let at = 0;
      trickle = setInterval(() => {
        if (!socket.destroyed) socket.write(text[at++ % text.length]!);
      }, byteIntervalMs);
    };

    socket.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("latin1");
      for (;;) {
        if (inData) {
          const end = buffer.indexOf(DATA_END);
          if (end === -1) return;
          const message = buffer.slice(0, end);
          buffer = buffer.slice(end + DATA_END.length);
          inData = false;
          received.push(/^X-Firebreak-Dedupe-Key:\s*(.+)$/im.exec(message)?.[1]?.trim() ?? "");
          startTrickle();
          continue;
        }
        const eol = buffer.indexOf("\r\n");
        if (eol === -1) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") reply("250 trickle.test");
        else if (verb === "MAIL" || verb === "RCPT" || verb === "RSET" || verb === "NOOP") reply("250 OK");
        else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("502 not implemented");
      }
    });
    reply("220 trickle.test ESMTP");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    closedWhileTrickling: () => closedWhileTrickling,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

// The SMTP sink of scripts/bench/notify.ts, in its own process so that receiving mail does not compete with the worker
// for the benchmark's event loop. Accepts everything, parses nothing but the header block (to count messages per
// X-Firebreak-Dedupe-Key), and answers the parent's "stats" and "reset" messages over IPC.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

const perKey = new Map<string, number>();
let total = 0;

const HEADER = /^x-firebreak-dedupe-key:\s*([0-9a-f]+)/im;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS", "AUTH"],
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let head = "";
    let headDone = false;
    stream.on("data", (chunk: Buffer) => {
      if (headDone) return;
      head += chunk.toString("latin1");
      const end = head.indexOf("\r\n\r\n");
      if (end >= 0) {
        head = head.slice(0, end);
        headDone = true;
      }
    });
    stream.on("end", () => {
      total += 1;
      const key = HEADER.exec(head)?.[1] ?? "";
      if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
      callback();
    });
  },
});

server.listen(0, "127.0.0.1", () => {
  process.send!({ kind: "ready", port: (server.server.address() as AddressInfo).port });
});

process.on("message", (message: { kind: string }) => {
  if (message.kind === "stats") {
    process.send!({ kind: "stats", total, keys: perKey.size, maxPerKey: Math.max(0, ...perKey.values()) });
  } else if (message.kind === "reset") {
    total = 0;
    perKey.clear();
    process.send!({ kind: "reset" });
  } else if (message.kind === "stop") {
    server.close(() => process.exit(0));
  }
});

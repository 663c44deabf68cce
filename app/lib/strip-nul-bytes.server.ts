// React 18's streaming renderer encodes HTML into 2,048-byte buffers; when a multi-byte character (all of Japanese)
// does not fit at the end of one, it still sends the whole buffer, whose unwritten tail is zero bytes. The page then
// carries NUL characters in the middle of Japanese text — in an aria-label here, in visible copy elsewhere. React 19
// fixes it; Remix v2 runs on React 18. A NUL byte never occurs inside UTF-8 text the console renders (forms refuse NUL
// on input), so removing every zero byte from the stream restores the page exactly.
import { Transform } from "node:stream";

export function withoutNulBytes(chunk: Buffer): Buffer {
  let zero = chunk.indexOf(0);
  if (zero === -1) return chunk;
  // The zeros are a few bytes every 2 KB: copy the runs between them (a native copy each) rather than byte by byte.
  const kept = Buffer.allocUnsafe(chunk.length);
  let length = 0;
  let from = 0;
  while (zero !== -1) {
    length += chunk.copy(kept, length, from, zero);
    from = zero + 1;
    zero = chunk.indexOf(0, from);
  }
  length += chunk.copy(kept, length, from);
  return kept.subarray(0, length);
}

// Those 2 KB buffers are also what makes a page costly to send: each one crossed the web-stream bridge to express and
// became a socket write of its own (a 150 KB account view, ~75 of them). React calls `flush()` on its destination at
// the end of each pass of writing, so the buffers are gathered and handed on once per pass (or every 64 KB).
const MOST_HELD_BYTES = 64 * 1024;

export function stripNulBytes(): Transform & { flush(): void } {
  let held: Buffer[] = [];
  let heldBytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      held.push(chunk);
      heldBytes += chunk.length;
      if (heldBytes >= MOST_HELD_BYTES) release();
      callback();
    },
    flush(callback) {
      release();
      callback();
    },
  });
  // React ends its destination when the page is complete and again from its own handler of the stream's "close";
  // ending a finished Writable builds an ERR_STREAM_ALREADY_FINISHED error (a stack trace, on every page) that nobody
  // reads. A second end() is a no-op instead (its callback, if any, is called without an error).
  const end = stream.end.bind(stream) as (...args: unknown[]) => Transform;
  stream.end = ((...args: unknown[]) => {
    if (!stream.writableEnded) return end(...args);
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return stream;
  }) as Transform["end"];
  function release() {
    if (heldBytes === 0) return;
    const joined = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    stream.push(withoutNulBytes(joined));
  }
  return Object.assign(stream, { flush: release });
}

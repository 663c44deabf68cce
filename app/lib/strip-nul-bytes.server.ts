// React 18's streaming renderer encodes HTML into 2,048-byte buffers; when a multi-byte character (all of Japanese)
// does not fit at the end of one, it still sends the whole buffer, whose unwritten tail is zero bytes. The page then
// carries NUL characters in the middle of Japanese text — in an aria-label here, in visible copy elsewhere. React 19
// fixes it; Remix v2 runs on React 18. A NUL byte never occurs inside UTF-8 text the console renders (forms refuse NUL
// on input), so removing every zero byte from the stream restores the page exactly.
import { Transform } from "node:stream";

export function withoutNulBytes(chunk: Buffer): Buffer {
  if (!chunk.includes(0)) return chunk;
  const kept = Buffer.allocUnsafe(chunk.length);
  let length = 0;
  for (const byte of chunk) if (byte !== 0) kept[length++] = byte;
  return kept.subarray(0, length);
}

export function stripNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(null, withoutNulBytes(chunk));
    },
  });
}

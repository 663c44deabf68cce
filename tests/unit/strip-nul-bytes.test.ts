// The HTML stream loses the zero bytes React 18 leaves at its buffer boundaries, and nothing else.
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { stripNulBytes, withoutNulBytes } from "~/lib/strip-nul-bytes.server";

describe("the HTML stream without NUL bytes", () => {
  it("removes the zero-filled tail of a buffer that stopped before a Japanese character", () => {
    const head = Buffer.from("件のチャージ", "utf8");
    const broken = Buffer.concat([head, Buffer.alloc(2), Buffer.from("に一致", "utf8")]);
    expect(withoutNulBytes(broken).toString("utf8")).toBe("件のチャージに一致");
  });

  it("passes a clean chunk through untouched (the same buffer)", () => {
    const clean = Buffer.from("<p>不正利用の補償</p>", "utf8");
    expect(withoutNulBytes(clean)).toBe(clean);
  });

  it("keeps every character of a stream split anywhere, as chunks", async () => {
    const page = '<html lang="ja"><body>' + "利用停止と本人確認。".repeat(500) + "</body></html>";
    const bytes = Buffer.from(page, "utf8");
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 2_047) {
      chunks.push(Buffer.concat([bytes.subarray(at, at + 2_047), Buffer.alloc(at % 3)]));
    }
    expect(await text(Readable.from(chunks).pipe(stripNulBytes()))).toBe(page);
  });

  it("hands React's 2 KB buffers on together, once per flush, and the rest when the page ends", async () => {
    const stream = stripNulBytes();
    const received: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => stream.on("end", resolve));
    const piece = Buffer.concat([Buffer.from("本人確認".repeat(170), "utf8"), Buffer.alloc(8)]);
    for (let i = 0; i < 10; i++) stream.write(piece);
    stream.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(received).toHaveLength(1);
    expect(received[0]!.toString("utf8")).toBe("本人確認".repeat(1700));
    stream.write(Buffer.from("<p>終わり</p>", "utf8"));
    stream.end();
    await ended;
    expect(received).toHaveLength(2);
    expect(received[1]!.toString("utf8")).toBe("<p>終わり</p>");
  });

  it("takes React's second end() (from its close handler) as a no-op, not as an error", async () => {
    const stream = stripNulBytes();
    stream.resume();
    stream.end(Buffer.from("<p>完了</p>", "utf8"));
    await new Promise((resolve) => stream.on("close", resolve));
    const answer = await new Promise((resolve) => stream.end((error?: Error | null) => resolve(error ?? "no error")));
    expect(answer).toBe("no error");
  });
});

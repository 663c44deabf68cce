// How the HTTP server writes Remix's answers back (scripts/lib/remix-handler.ts, ADR 063): a complete body in one
// write with its length, a body still coming streamed as it comes, a page read from React's Node stream itself.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { PassThrough } from "node:stream";
import express from "express";
import { afterEach, describe, expect, it } from "vitest";
import { nodeBodyOf, responseFromNodeStream } from "~/lib/node-body.server";
import { sendResponse } from "../../scripts/lib/remix-handler";

let server: http.Server | undefined;
// Connections still open (a test that failed mid-answer) are cut, so closing never waits on them.
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

/** Serves `answer()` through sendResponse on a random port; the URL. */
async function serve(answer: () => Response | Promise<Response>): Promise<string> {
  const app = express();
  app.get("/", async (_req, res, next) => {
    try {
      await sendResponse(res, await answer());
    } catch (error) {
      next(error);
    }
  });
  server = await new Promise<http.Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

/** The response's head, its body, and the size of each piece of the body as it arrived; `onData` after each piece. */
function get(
  url: string,
  onData?: () => void,
): Promise<{ headers: http.IncomingHttpHeaders; status: number; body: string; arrivals: number[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        const parts: Buffer[] = [];
        const arrivals: number[] = [];
        response.on("data", (chunk: Buffer) => {
          parts.push(chunk);
          arrivals.push(chunk.length);
          onData?.();
        });
        response.on("end", () =>
          resolve({
            headers: response.headers,
            status: response.statusCode!,
            body: Buffer.concat(parts).toString("utf8"),
            arrivals,
          }),
        );
      })
      .on("error", reject);
  });
}

/** A body of `parts`; the last one is added only once `beforeLast` resolves. */
function webStream(parts: string[], beforeLast?: Promise<void>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      for (const [i, part] of parts.entries()) {
        if (i === parts.length - 1 && beforeLast) await beforeLast;
        controller.enqueue(encoder.encode(part));
      }
      controller.close();
    },
  });
}

describe("writing Remix's answer", () => {
  it("sends a body that is complete at once in one piece, with its Content-Length, status and headers", async () => {
    const url = await serve(
      () =>
        new Response(webStream(["<p>", "アカウント", "</p>"]), {
          status: 201,
          headers: { "Content-Type": "text/html; charset=utf-8", "X-Request-Id": "abc12345" },
        }),
    );
    const { headers, status, body } = await get(url);
    expect(status).toBe(201);
    expect(headers["content-length"]).toBe(String(Buffer.byteLength("<p>アカウント</p>")));
    expect(headers["transfer-encoding"]).toBeUndefined();
    expect(headers["x-request-id"]).toBe("abc12345");
    expect(body).toBe("<p>アカウント</p>");
  });

  it("keeps every Set-Cookie header apart", async () => {
    const url = await serve(() => {
      const headers = new Headers();
      headers.append("Set-Cookie", "a=1; Path=/; HttpOnly");
      headers.append("Set-Cookie", "b=2; Path=/; HttpOnly");
      return new Response("ok", { headers });
    });
    const { headers } = await get(url);
    expect(headers["set-cookie"]).toEqual(["a=1; Path=/; HttpOnly", "b=2; Path=/; HttpOnly"]);
  });

  // The last part is added only once the client holds the first: a server that waited for the whole body before
  // writing would never answer, and the test fails on its time limit rather than on a measured delay.
  it("streams a body that is still coming: what is there goes out before the rest arrives", async () => {
    let clientHasAPart!: () => void;
    const clientHadAPart = new Promise<void>((resolve) => (clientHasAPart = resolve));
    const url = await serve(() => new Response(webStream(["first part;", "second part"], clientHadAPart)));
    const { headers, body, arrivals } = await get(url, clientHasAPart);
    expect(headers["transfer-encoding"]).toBe("chunked");
    expect(body).toBe("first part;second part");
    expect(arrivals[0]).toBe("first part;".length);
  }, 15_000);

  it("reads a long body only as fast as the client takes it (an export to a slow client)", async () => {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const total = 64 * 1024 * 1024;
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const url = await serve(() => new Response(body));
    let pulledWhileWaiting = 0;
    const received = await new Promise<number>((resolve, reject) => {
      http
        .get(url, (response) => {
          // The client reads nothing for a while: the server must stop reading the body, not hold it all.
          response.pause();
          setTimeout(() => {
            pulledWhileWaiting = pulled;
            let bytes = 0;
            response.on("data", (data: Buffer) => (bytes += data.length));
            response.on("end", () => resolve(bytes));
            response.resume();
          }, 500);
        })
        .on("error", reject);
    });
    expect(pulledWhileWaiting).toBeLessThan(total / 4);
    expect(received).toBe(total);
  });

  it("streams a page written in large parts with pauses between them to the end", async () => {
    const page = new PassThrough();
    const part = "本人確認".repeat(20_000);
    const url = await serve(() => {
      void (async () => {
        for (let i = 0; i < 4; i++) {
          page.write(part);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        page.end();
      })();
      return responseFromNodeStream(page, {});
    });
    const { body } = await get(url);
    expect(body).toBe(part.repeat(4));
  });

  it("answers with no body (a redirect) as it is", async () => {
    const url = await serve(() => new Response(null, { status: 302, headers: { Location: "/sign-in" } }));
    const { headers, status, body, arrivals } = await get(url);
    expect(status).toBe(302);
    expect(headers.location).toBe("/sign-in");
    expect(body).toBe("");
    expect(arrivals).toEqual([]);
  });

  it("reads a page from its Node stream itself, and the web stream over it is left unread", async () => {
    const page = new PassThrough();
    const response = responseFromNodeStream(page, { headers: { "Content-Type": "text/html" } });
    expect(nodeBodyOf(response)).toBe(page);
    const url = await serve(() => {
      page.write("<html>");
      page.end("本人確認</html>");
      return response;
    });
    const { headers, body } = await get(url);
    expect(body).toBe("<html>本人確認</html>");
    expect(headers["content-length"]).toBe(String(Buffer.byteLength("<html>本人確認</html>")));
    expect(response.bodyUsed).toBe(false);
  });

  it("gives other readers the page through the web stream, and then no longer offers the Node stream", async () => {
    const page = new PassThrough();
    const response = responseFromNodeStream(page, {});
    page.end("<p>凍結済み</p>");
    expect(await response.text()).toBe("<p>凍結済み</p>");
    expect(nodeBodyOf(response)).toBeNull();
  });

  it("stops the page's stream when the client goes away before the end", async () => {
    const page = new PassThrough();
    const url = await serve(() => {
      page.write("<html>");
      return responseFromNodeStream(page, {});
    });
    await new Promise<void>((resolve, reject) => {
      const request = http.get(url, (response) => {
        response.once("data", () => {
          request.destroy();
          resolve();
        });
      });
      request.on("error", () => {});
      setTimeout(() => reject(new Error("no first chunk")), 5_000);
    });
    await expect.poll(() => page.destroyed, { timeout: 5_000 }).toBe(true);
  });
});

// The bridge between express and the Remix build (docs/decisions/063-a-direct-response-writer.md). It does what
// `@remix-run/express`'s `createRequestHandler` does — a Fetch Request from the Node request, aborted when the client
// goes away before the answer is sent; Remix's Response written back — but writes the answer more cheaply:
// - a page rendered by entry.server is read from React's Node stream itself (`nodeBodyOf`), not through the web
//   stream wrapped around it for other readers;
// - what arrives within one turn of the event loop (up to 64 KB) is written at once; a body complete by then (nearly
//   every page and data request) goes out in one write with a Content-Length instead of as chunks. A body still
//   streaming (deferred data, an event stream, an export) is written as it comes, one write per turn, and waits for
//   the socket to drain.
import { once } from "node:events";
import type { Readable } from "node:stream";
import {
  createReadableStreamFromReadable,
  createRequestHandler as createRemixRequestHandler,
  type ServerBuild,
} from "@remix-run/node";
import type express from "express";
import { nodeBodyOf } from "~/lib/node-body.server";

type Build = ServerBuild | (() => Promise<ServerBuild>);

export function createRequestHandler({
  build,
  mode,
}: {
  build: Build;
  mode: "development" | "production";
}): express.RequestHandler {
  const handleRequest = createRemixRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const response = await handleRequest(fetchRequestOf(req, res));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

function fetchRequestOf(req: express.Request, res: express.Response): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else headers.set(name, value);
  }
  // req.hostname has no port and respects "trust proxy": take the port from X-Forwarded-Host or Host, as Remix's
  // express adapter does.
  const port = portOf(req.get("x-forwarded-host")) ?? portOf(req.get("host"));
  const url = `${req.protocol}://${req.hostname}${port === null ? "" : `:${port}`}${req.originalUrl}`;
  let controller: AbortController | null = new AbortController();
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(req);
    init.duplex = "half";
  }
  // Loaders and actions are aborted once the answer can no longer be sent (closed before it finished).
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  return new Request(url, init);
}

function portOf(host: string | undefined): number | null {
  const port = Number.parseInt(host?.split(":")[1] ?? "", 10);
  return Number.isSafeInteger(port) ? port : null;
}

/** Writes Remix's answer to the Node response (exported for its tests). */
export async function sendResponse(res: express.Response, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [name, value] of response.headers) {
    if (name === "set-cookie") continue;
    res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("Set-Cookie", cookies);
  if (/text\/event-stream/i.test(response.headers.get("content-type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  const nodeBody = response.body.locked ? null : nodeBodyOf(response);
  await writeGathered(res, nodeBody ? chunksOfNode(nodeBody) : chunksOfWeb(response.body));
}

interface Source {
  /** Calls `chunk` for each piece of the body, then resolves; rejects if the body fails. */
  read(chunk: (bytes: Uint8Array) => void, paused: () => Promise<void>): Promise<void>;
  cancel(reason: unknown): void;
}

// React's stream, read by its events (an async iterator costs a promise and more per chunk).
function chunksOfNode(body: Readable): Source {
  return {
    read: (chunk, paused) =>
      new Promise((resolve, reject) => {
        body.on("data", (bytes: Uint8Array) => {
          chunk(bytes);
          const wait = paused();
          if (wait !== NOT_PAUSED) {
            body.pause();
            void wait.then(() => body.resume());
          }
        });
        body.once("end", resolve);
        body.once("error", reject);
        body.once("close", () => (body.readableEnded ? resolve() : reject(new Error("the page stopped rendering"))));
      }),
    cancel: (reason) => body.destroy(reason as Error),
  };
}

function chunksOfWeb(body: ReadableStream<Uint8Array>): Source {
  const reader = body.getReader();
  return {
    read: async (chunk, paused) => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        chunk(value);
        await paused();
      }
    },
    // Called once the client has gone: a cancel that fails means the stream already ended or failed, which read()
    // has reported or will report; nothing is left to stop.
    cancel: (reason) => void reader.cancel(reason).catch(() => {}),
  };
}

const NOT_PAUSED = Promise.resolve();
const MOST_HELD_BYTES = 64 * 1024;

async function writeGathered(res: express.Response, source: Source): Promise<void> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  let pending: NodeJS.Immediate | null = null;
  const release = () => {
    pending = null;
    if (heldBytes === 0) return;
    const joined = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    res.write(joined);
  };
  const chunk = (bytes: Uint8Array) => {
    if (bytes.byteLength === 0) return;
    held.push(bytes);
    heldBytes += bytes.byteLength;
    // A body that never waits (its chunks all come in microtasks) would otherwise be held whole until it ends.
    if (heldBytes >= MOST_HELD_BYTES) {
      if (pending) clearImmediate(pending);
      release();
    } else pending ??= setImmediate(release);
  };
  // The socket's buffer is full: read on once it drained (or closed). Asked of the response each time, not
  // remembered from the last write: the drain may have come already.
  const paused = () =>
    !res.writableNeedDrain || res.destroyed
      ? NOT_PAUSED
      : Promise.race([once(res, "drain"), once(res, "close")]).then(() => {});
  // A client gone before the end: stop producing (React stops rendering, the stream of data is cancelled).
  let gone = false;
  const onClose = () => {
    if (res.writableFinished) return;
    gone = true;
    source.cancel(new Error("the client closed the connection"));
  };
  res.on("close", onClose);
  try {
    await source.read(chunk, paused);
  } catch (error) {
    if (pending) clearImmediate(pending);
    // The body stopped because the client went away: nothing failed.
    if (gone) return;
    res.destroy(error as Error);
    throw error;
  } finally {
    res.off("close", onClose);
  }
  if (pending) clearImmediate(pending);
  if (res.destroyed) return;
  const rest = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
  // The whole body is here and nothing went out yet: one write, with its length.
  if (!res.headersSent && !res.hasHeader("content-length") && !res.hasHeader("transfer-encoding"))
    res.setHeader("Content-Length", rest.byteLength);
  res.end(rest);
}

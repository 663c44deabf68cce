// A page's HTML is a Node stream (React's renderToPipeableStream); a Response needs a web stream. The HTTP server
// (scripts/lib/remix-handler.ts) writes the Node stream to the socket itself, and anyone else (a test calling the
// build's handler, Remix's own code) reads the web stream. The web stream therefore touches the Node stream only when
// it is first read: until then, the Node stream is still whole for the HTTP server to take (ADR 063).
// The HTTP server (tsx) and the Remix build each load their own copy of this module: the key is a global symbol.
import type { Readable } from "node:stream";

const NODE_BODY = Symbol.for("firebreak.node-body");

type WithNodeBody = Response & { [NODE_BODY]?: Readable };

/** A Response whose body is `body`, which the HTTP server may read as the Node stream it is. */
export function responseFromNodeStream(body: Readable, init: ResponseInit): Response {
  let chunks: AsyncIterator<Uint8Array> | null = null;
  const web = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        chunks ??= body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
        const { done, value } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel(reason) {
        body.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    // Nothing is read ahead of a reader.
    { highWaterMark: 0 },
  );
  const response: WithNodeBody = new Response(web, init);
  response[NODE_BODY] = body;
  return response;
}

/** The Node stream behind a Response made by `responseFromNodeStream`, unless its web stream was read already. */
export function nodeBodyOf(response: Response): Readable | null {
  const body = (response as WithNodeBody)[NODE_BODY];
  if (!body || response.bodyUsed || response.body?.locked) return null;
  return body;
}

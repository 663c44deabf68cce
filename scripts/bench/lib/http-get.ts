// The benches' HTTP GET: a keep-alive agent, the signed-in member's cookie, Japanese, and the body counted rather than
// kept, so the client's own work per request stays small and the same for every server it compares.
import http from "node:http";

/** A non-200 answer: its status is kept so a bench can count errors by kind rather than by URL. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    pathname: string,
  ) {
    super(`${pathname} answered ${status}`);
  }
}

export function makeGet(agent: http.Agent, userAgent = "firebreak-tests", extraHeaders: Record<string, string> = {}) {
  return (port: number, pathname: string, cookie: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const request = http.get(
        {
          host: "127.0.0.1",
          port,
          path: pathname,
          agent,
          headers: { ...extraHeaders, cookie, "user-agent": userAgent, "accept-language": "ja" },
        },
        (response) => {
          let bytes = 0;
          response.on("data", (chunk: Buffer) => (bytes += chunk.length));
          response.on("end", () =>
            response.statusCode === 200
              ? resolve(bytes)
              : reject(new HttpStatusError(response.statusCode ?? 0, pathname)),
          );
        },
      );
      request.on("error", reject);
    });
}

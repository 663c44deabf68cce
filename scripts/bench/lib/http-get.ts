// The benches' HTTP GET: a keep-alive agent, the signed-in member's cookie, Japanese, and the body counted rather than
// kept, so the client's own work per request stays small and the same for every server it compares.
import http from "node:http";

export function makeGet(agent: http.Agent, userAgent = "firebreak-tests") {
  return (port: number, pathname: string, cookie: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const request = http.get(
        {
          host: "127.0.0.1",
          port,
          path: pathname,
          agent,
          headers: { cookie, "user-agent": userAgent, "accept-language": "ja" },
        },
        (response) => {
          let bytes = 0;
          response.on("data", (chunk: Buffer) => (bytes += chunk.length));
          response.on("end", () =>
            response.statusCode === 200
              ? resolve(bytes)
              : reject(new Error(`${pathname} answered ${response.statusCode ?? "nothing"}`)),
          );
        },
      );
      request.on("error", reject);
    });
}

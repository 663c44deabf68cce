// Structured JSON logs (pino), one line per event, with the request ID. What must never be written: cookies,
// Authorization headers, request bodies and query strings (reset links and invitation tokens travel in URLs), SMTP
// or database passwords. The request log therefore records the route pattern and the path without its query.
import pino from "pino";
import { liveEnv } from "~/env.server";

const holder = globalThis as unknown as { firebreakLogger?: pino.Logger };

export function createLogger(destination?: pino.DestinationStream): pino.Logger {
  const env = liveEnv();
  const level = env.FIREBREAK_LOG_LEVEL ?? (env.NODE_ENV === "test" ? "warn" : "info");
  return pino(
    {
      level,
      base: { service: "firebreak", pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ["req.headers.cookie", "req.headers.authorization", "password", "token", "*.password", "*.token"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

export function getLogger(): pino.Logger {
  holder.firebreakLogger ??= createLogger();
  return holder.firebreakLogger;
}

// Starts the real HTTP server in-process for tests: the express app of scripts/lib/http-server.ts (request perimeter,
// CSRF refusal, security headers) in front of the Remix build in build/index.js (run `npx remix build` first), on a
// random port. The test clock is enabled, so tests can move the server's time with advanceClock from
// ~/lib/clock.server (its state lives on globalThis and is shared with the build's copy of the module).
//
// The server trusts X-Forwarded-For (as behind a proxy), so each HttpClient can present its own client address:
// tests of the per-address throttle do not interfere with each other, even on a shared PostgreSQL database.
import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createHttpApp } from "../../scripts/lib/http-server";

process.env.FIREBREAK_TEST_CLOCK = "1";

export interface TestHttpApp {
  /** e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  /** The Origin header our own pages send. */
  origin: string;
  mode: "development" | "production";
  close(): Promise<void>;
}

let buildPromise: Promise<ServerBuild> | undefined;

function loadBuild(): Promise<ServerBuild> {
  const buildPath = path.resolve("build/index.js");
  if (!existsSync(buildPath)) throw new Error("No Remix build: run `npx remix build` before the HTTP tests.");
  buildPromise ??= import(/* @vite-ignore */ pathToFileURL(buildPath).href) as Promise<ServerBuild>;
  return buildPromise;
}

export async function startHttpApp(options: { mode?: "development" | "production" } = {}): Promise<TestHttpApp> {
  const mode = options.mode ?? "development";
  // The database must be open (and migrated) before the first request: the build shares it through globalThis.
  await import("~/db.server");
  const build = await loadBuild();
  const app = createHttpApp({ build, mode, trustProxyHops: 1 });
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  // Keep idle connections open longer than the client's pool does (undici: 4 s), so the client never reuses a socket
  // the server is closing at that moment (an intermittent ECONNRESET on a busy machine).
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    origin: baseUrl,
    mode,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export interface RequestOptions {
  /** Origin header for non-GET requests: the app's own by default; null sends none. */
  origin?: string | null;
  headers?: Record<string, string>;
}

let addressCounter = 0;
/** A client address no other test uses (TEST-NET-3 / RFC 5737 space plus randomness). */
export function uniqueClientIp(): string {
  addressCounter += 1;
  const random = Math.floor(Math.random() * 250) + 1;
  return `203.0.${random}.${(addressCounter % 250) + 1}`;
}

/**
 * A browser-like client: keeps cookies, sends the app's Origin on non-GET requests (as browsers do for form posts),
 * never follows redirects (tests assert on them), and presents its own client address.
 */
export class HttpClient {
  readonly cookies = new Map<string, string>();
  readonly ip: string;

  constructor(
    readonly app: TestHttpApp,
    options: { ip?: string } = {},
  ) {
    this.ip = options.ip ?? uniqueClientIp();
  }

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  async request(pathname: string, init: RequestInit & RequestOptions = {}): Promise<Response> {
    const method = (init.method ?? "GET").toUpperCase();
    const headers = new Headers(init.headers);
    headers.set("x-forwarded-for", this.ip);
    headers.set("user-agent", headers.get("user-agent") ?? "firebreak-tests");
    // English unless a test asks otherwise, so assertions on English copy hold; the product default is Japanese.
    if (!headers.has("accept-language")) headers.set("accept-language", "en");
    if (this.cookies.size > 0 && !headers.has("cookie")) headers.set("cookie", this.cookieHeader());
    const origin = init.origin === undefined ? this.app.origin : init.origin;
    if (method !== "GET" && method !== "HEAD" && origin !== null && !headers.has("origin"))
      headers.set("origin", origin);
    const response = await fetch(new URL(pathname, this.app.baseUrl), {
      ...init,
      method,
      headers,
      redirect: "manual",
    });
    this.storeCookies(response);
    return response;
  }

  get(pathname: string, options: RequestOptions = {}): Promise<Response> {
    return this.request(pathname, { method: "GET", headers: options.headers });
  }

  post(pathname: string, form: Record<string, string>, options: RequestOptions = {}): Promise<Response> {
    return this.request(pathname, {
      method: "POST",
      body: new URLSearchParams(form),
      headers: { "content-type": "application/x-www-form-urlencoded", ...options.headers },
      origin: options.origin,
    });
  }

  private storeCookies(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";").map((part) => part.trim());
      const separator = pair!.indexOf("=");
      const name = pair!.slice(0, separator);
      const value = pair!.slice(separator + 1);
      const expired = attributes.some((attribute) => {
        const [key, attrValue] = attribute.split("=");
        if (key?.toLowerCase() === "max-age") return Number(attrValue) <= 0;
        if (key?.toLowerCase() === "expires") return new Date(attrValue ?? "").getTime() <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export function createClient(app: TestHttpApp, options: { ip?: string } = {}): HttpClient {
  return new HttpClient(app, options);
}

/** The Location header of a redirect, as a path ("/sign-in/totp?redirectTo=…"). */
export function redirectPath(response: Response): string | null {
  const location = response.headers.get("location");
  if (!location) return null;
  const url = new URL(location, "http://placeholder.invalid");
  return url.pathname + url.search;
}

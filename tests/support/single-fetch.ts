// Single fetch (Remix's v3_singleFetch): the URL a client-side navigation, a fetcher or a script-driven form asks, and
// how to read its turbo-stream answer. The decoding plugins mirror the browser runtime's, so a test sees what a page
// sees: dates as Date, a redirect as a redirect, a thrown response as an error with its status.
import { decode, type DecodePlugin } from "turbo-stream";

/** `/accounts?q=x` → `/accounts.data?q=x` (`/` → `/_root.data`); `routes` runs only those loaders, as a fetcher does. */
// By string, not URL: a hostile query string (a lone surrogate's escape, a stray `#`) is sent exactly as written.
export function dataPath(path: string, routes?: readonly string[]): string {
  const mark = path.indexOf("?");
  const pathname = mark < 0 ? path : path.slice(0, mark);
  const query = mark < 0 ? "" : path.slice(mark + 1);
  const data = pathname === "/" ? "/_root.data" : `${pathname.replace(/\/$/, "")}.data`;
  const params = [query, routes ? `_routes=${encodeURIComponent(routes.join(","))}` : ""].filter(Boolean).join("&");
  return params ? `${data}?${params}` : data;
}

/** A response a loader or action threw (`throw new Response(…, { status })`), as the page's error boundary gets it. */
export class ThrownResponse {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly data: unknown,
  ) {}
}

const REDIRECT = Symbol("single fetch redirect");
interface RedirectInfo {
  redirect: string;
  status: number;
}

const plugins: DecodePlugin[] = [
  (type, ...rest) => {
    if (type === "SanitizedError") {
      const [name, message] = rest as [string, string];
      const error = new Error(message);
      error.name = name;
      return { value: error };
    }
    if (type === "ErrorResponse") {
      const [data, status, statusText] = rest as [unknown, number, string];
      return { value: new ThrownResponse(status, statusText, data) };
    }
    if (type === "SingleFetchRedirect") return { value: { [REDIRECT]: rest[0] } };
    return undefined;
  },
  (type, value) => {
    if (type === "SingleFetchFallback") return { value: undefined };
    if (type === "SingleFetchClassInstance") return { value };
    return undefined;
  },
];

export interface SingleFetchAnswer {
  status: number;
  /** Where the browser would go next, when the server answered with a redirect. */
  redirect: string | null;
  /** Loaders: `{ [routeId]: { data } | { error } }`. Actions: `{ data } | { error }`. */
  value: unknown;
}

/** Reads a `.data` response in full; fails the test when its body is not single fetch's format. */
export async function readSingleFetch(response: Response): Promise<SingleFetchAnswer> {
  if (!response.body) return { status: response.status, redirect: null, value: undefined };
  const decoded = await decode(response.body, { plugins });
  await decoded.done;
  const value = decoded.value as Record<string | symbol, unknown> | undefined;
  // A loader's redirect arrives wrapped (it stands for every route of the request); an action's arrives as it is.
  const redirectInfo = response.status === 202 ? ((value?.[REDIRECT] ?? value) as RedirectInfo | undefined) : undefined;
  return { status: response.status, redirect: redirectInfo?.redirect ?? null, value };
}

/** The data one route's loader returned; fails with what came instead (an error, a redirect, no such route). */
export function loaderDataOf<T>(answer: SingleFetchAnswer, routeId: string): T {
  const results = answer.value as Record<string, { data?: unknown; error?: unknown }> | undefined;
  const result = results?.[routeId];
  if (answer.redirect !== null || !result || !("data" in result)) {
    throw new Error(`no data for ${routeId}: ${describe(answer, result)}`);
  }
  return result.data as T;
}

/** The data an action returned; fails with what came instead. */
export function actionDataOf<T>(answer: SingleFetchAnswer): T {
  const result = answer.value as { data?: unknown } | undefined;
  if (answer.redirect !== null || !result || !("data" in result))
    throw new Error(`no action data: ${describe(answer)}`);
  return result.data as T;
}

function describe(answer: SingleFetchAnswer, result?: unknown): string {
  if (answer.redirect !== null) return `HTTP ${answer.status}, redirect to ${answer.redirect}`;
  const shown = result ?? answer.value;
  return `HTTP ${answer.status}, ${shown instanceof ThrownResponse ? `thrown ${shown.status}` : String(JSON.stringify(shown))}`;
}

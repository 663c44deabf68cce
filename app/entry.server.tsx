// Server rendering with a per-request CSP nonce: Remix's inline scripts carry it, and the enforced
// Content-Security-Policy (set in app/lib/security-headers.server.ts) allows only scripts that carry it.
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { NonceContext, RequestIdContext } from "~/components/nonce";
import { testRenderAbortMs } from "~/env.server";
import { isLanguage } from "~/i18n/config";
import { renderInstanceFor, languageOf } from "~/i18n/i18next.server";
import { applySecurityHeaders, createNonce } from "~/lib/security-headers.server";
import { responseFromNodeStream } from "~/lib/node-body.server";
import { requestIdOf } from "~/lib/request-context.server";
import { stripNulBytes } from "~/lib/strip-nul-bytes.server";

// Single fetch streams loader data (a page's and a `.data` request's) and rejects what is still pending after
// `streamTimeout`; React is given a second more so those rejections still reach the page before it stops rendering.
export const streamTimeout = 5_000;
const RENDER_ABORT_DELAY = streamTimeout + 1_000;
/** The reason React is given when that delay runs out, so `onError` can tell it from a component's failure. */
const RENDER_TIMED_OUT = new Error("the server stopped rendering what was still pending");

// The root loader already worked out the language (from the profile or the browser); ask again only when it did not
// run (an error before it, a 404 Remix answers itself).
async function renderLanguage(request: Request, remixContext: EntryContext) {
  const rootData = remixContext.staticHandlerContext.loaderData?.root as { language?: unknown } | undefined;
  return isLanguage(rootData?.language) ? rootData.language : languageOf(request);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  _loadContext: AppLoadContext,
) {
  const nonce = createNonce();
  const i18n = renderInstanceFor(await renderLanguage(request, remixContext));
  const bot = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // The abort timer is cleared once everything is rendered: left running, each would hold the page's whole render
    // state for RENDER_ABORT_DELAY after it was sent (hundreds of pages under load, and more work for the collector).
    let settled = false;
    let abortTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      settled = true;
      clearTimeout(abortTimer);
    };
    const respond = () => {
      shellRendered = true;
      const body = stripNulBytes();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      applySecurityHeaders(responseHeaders, { nonce });
      // The HTTP server writes the Node stream itself; other readers get a web stream over it (ADR 063).
      resolve(responseFromNodeStream(body, { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <NonceContext.Provider value={nonce}>
          <RequestIdContext.Provider value={requestIdOf(request)}>
            <RemixServer context={remixContext} url={request.url} nonce={nonce} />
          </RequestIdContext.Provider>
        </NonceContext.Provider>
      </I18nextProvider>,
      {
        nonce,
        // Browsers get the shell as soon as it is ready; crawlers the whole page at once.
        onShellReady() {
          if (!bot) respond();
        },
        onAllReady() {
          settle();
          if (bot) respond();
        },
        onShellError(error: unknown) {
          settle();
          reject(error);
        },
        onError(error: unknown) {
          // Our own abort of what was still streaming: those parts are left to the browser (their fallback is in the
          // page), and the page itself is fine. Counted as a failure, a crawler's or a script's request (answered only
          // once everything is rendered) turned into a 500 whenever a streamed part outlasted the delay.
          if (error === RENDER_TIMED_OUT) return;
          responseStatusCode = 500;
          // Log the failure with its request ID; never render it. Shell errors are handled by the error boundary.
          if (shellRendered) console.error(`[${requestIdOf(request)}]`, error);
        },
      },
    );
    if (!settled) abortTimer = setTimeout(() => abort(RENDER_TIMED_OUT), testRenderAbortMs() ?? RENDER_ABORT_DELAY);
  });
}

const OLD_DATA_REQUEST_NOTICE = "Warning: Single fetch-enabled apps should not be making ?_data requests";

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // Remix reports an unknown path or method here too (a 404 or 405 it answers itself): scanners would otherwise fill
  // the error log with stack traces of requests that were answered correctly.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  // Remix's notice that a request carried the old `?_data` parameter, which none of our pages sends: the request is
  // still answered (by the route's loader and its guard), so a stack trace per such URL would be noise anyone can make.
  if (error instanceof Error && error.message.startsWith(OLD_DATA_REQUEST_NOTICE)) return;
  console.error(`[request ${requestIdOf(request)}]`, error);
}

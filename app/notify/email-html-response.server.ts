import { runtimeNodeEnv } from "~/env.server";
// Serving an email's HTML to the console (previews, the development sent-mail viewer) inside an <iframe>. Mail HTML
// carries inline styles that the console's own CSP forbids, so it gets a page of its own with a CSP that allows only
// inline styles and data: images — no scripts, no network, sandboxed — and that only our own pages may frame.
export function emailHtmlResponse(html: string): Response {
  return new Response(html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'; form-action 'none'",
      "X-Frame-Options": "SAMEORIGIN",
      "Cache-Control": "no-store",
    },
  });
}

export { runtimeNodeEnv };

/** The development mail viewer exists only when the process does not run in production. */
export function devMailAvailable(): boolean {
  return runtimeNodeEnv() !== "production";
}

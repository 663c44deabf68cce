// Where to send someone after sign-in or step-up. Only a path on this site is accepted: "//evil.example",
// "/\evil.example", "/.//evil.example", "https://evil.example" and anything with control characters fall back to the
// default, so the redirectTo parameter can never become an open redirect. The sign-in pages themselves are not
// targets either.
const DEFAULT_REDIRECT = "/";

export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = DEFAULT_REDIRECT): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.includes("\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, "http://firebreak.invalid");
  } catch {
    return fallback;
  }
  if (url.origin !== "http://firebreak.invalid") return fallback;
  // Dot segments are resolved above: "/.//evil.example" becomes the path "//evil.example", which a browser reads as
  // another host. Judge the path as it will be sent, not as it was typed.
  if (url.pathname.startsWith("//")) return fallback;
  if (/^\/(sign-in|sign-out|step-up|invite)(\/|$)/.test(url.pathname)) return fallback;
  return url.pathname + url.search + url.hash;
}

/** A query string carrying redirectTo onward, or "" when it is the default. */
export function redirectToQuery(to: string): string {
  return to === DEFAULT_REDIRECT ? "" : `?redirectTo=${encodeURIComponent(to)}`;
}

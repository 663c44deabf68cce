// Flash messages after an action ("Switch engaged", "¥12,000 reversed"): set on the redirect, shown once by the layout.
// Stored in a signed cookie so a message shown to staff cannot be forged by another site.
import { createCookie, redirect } from "@remix-run/node";
import { z } from "zod";
import { cookieSecret, secureCookies } from "~/env.server";

const ToastSchema = z.object({
  kind: z.enum(["success", "error", "info"]),
  message: z.string().max(500),
});
export type Toast = z.infer<typeof ToastSchema>;

function toastCookie() {
  return createCookie("firebreak_toast", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookies(),
    maxAge: 60,
    secrets: [cookieSecret()],
  });
}

export async function redirectWithToast(url: string, toast: Toast, init: ResponseInit = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", await toastCookie().serialize(toast));
  return redirect(url, { ...init, headers });
}

/** Reads and clears the toast. Returns the header that clears it, to be sent with the page. */
export async function readToast(request: Request): Promise<{ toast: Toast | null; clearHeader: string | null }> {
  const cookie = toastCookie();
  const raw = await cookie.parse(request.headers.get("cookie"));
  // Nearly every page has no toast: the schema's refusal of null built an error with its issues on each of them.
  if (raw === null) return { toast: null, clearHeader: null };
  const parsed = ToastSchema.safeParse(raw);
  if (!parsed.success) return { toast: null, clearHeader: null };
  return { toast: parsed.data, clearHeader: await cookie.serialize("", { maxAge: 0 }) };
}

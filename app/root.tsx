import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { AppShell } from "~/components/app-shell";
import { useNonce, useRequestId } from "~/components/nonce";
import { FocusAfterAction } from "~/components/focus-after-action";
import { ToastMessage } from "~/components/toast";
import { getPageFrame } from "~/auth/guard.server";
import { ROLE_PERMISSIONS } from "~/auth/permissions";
import { DEFAULT_LANGUAGE } from "~/i18n/config";
import { languageOf } from "~/i18n/i18next.server";
import { requestIdOf } from "~/lib/request-context.server";
import { readToast } from "~/lib/toast.server";
import stylesheet from "~/tailwind.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Firebreak" }];

// The root loader serves every page, sign-in included, so it authorises nothing: it only says who is signed in
// (to draw the navigation) and which kill switches are engaged (the banner every staff member must see).
export async function loader({ request }: LoaderFunctionArgs) {
  const frame = await getPageFrame(request);
  const ctx = frame?.ctx;
  const { toast, clearHeader } = await readToast(request);
  // A signed-in member's own choice; otherwise the browser's (sign-in pages), Japanese by default.
  const language = ctx ? (ctx.staff.language ?? DEFAULT_LANGUAGE) : await languageOf(request);
  const engagedSwitches = frame?.engagedSwitches ?? [];
  return data(
    {
      requestId: requestIdOf(request),
      language,
      // Only what the menu shows and chooses by: the page's data is written into every document (ADR 082).
      staff: ctx
        ? {
            displayName: ctx.staff.displayName,
            role: ctx.staff.role,
            permissions: [...ROLE_PERMISSIONS[ctx.staff.role]],
          }
        : null,
      engagedSwitches,
      toast,
    },
    { headers: clearHeader ? { "Set-Cookie": clearHeader } : undefined },
  );
}

function Document({ children, requestId }: { children: React.ReactNode; requestId?: string }) {
  const nonce = useNonce();
  const { i18n } = useTranslation();
  return (
    <html lang={i18n.language} className="h-full bg-slate-50">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {requestId ? <meta name="request-id" content={requestId} /> : null}
        <Meta />
        <Links />
      </head>
      <body className="h-full font-sans text-slate-900 antialiased">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { staff, engagedSwitches, toast, requestId, language } = useLoaderData<typeof loader>();
  // After switching language the root loader answers with the new one; the browser's instance follows.
  useChangeLanguage(language);
  return (
    <Document requestId={requestId}>
      <AppShell staff={staff} engagedSwitches={engagedSwitches}>
        {/* Always rendered, so a toast that appears after an action is announced by a region that already exists. */}
        <div aria-live="polite" data-testid="toast-region">
          {toast ? <ToastMessage toast={toast} /> : null}
        </div>
        <FocusAfterAction />
        <Outlet />
      </AppShell>
    </Document>
  );
}

// Never renders error.stack or an error's message: users see what happened in plain words and a request ID that
// support can look up in the logs and the audit trail.
export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const rootData = useRouteLoaderData<typeof loader>("root");
  const renderedRequestId = useRequestId();
  const requestId =
    rootData?.requestId ??
    renderedRequestId ??
    (typeof document !== "undefined"
      ? document.querySelector('meta[name="request-id"]')?.getAttribute("content")
      : null);
  let title = t("errorPage.title");
  let detail = t("errorPage.detail");
  if (isRouteErrorResponse(error)) {
    title =
      error.status === 403
        ? t("errorPage.notAllowed")
        : error.status === 404
          ? t("errorPage.notFound")
          : t("errorPage.status", { status: error.status });
    // Only messages we wrote ourselves reach the user: thrown Responses with a string body.
    if (error.status === 404) detail = t("errorPage.noSuchPage");
    else if (typeof error.data === "string" && error.data.length < 500 && !("internal" in error && error.internal)) {
      detail = error.data;
    }
  }
  return (
    <Document requestId={requestId ?? undefined}>
      <main className="mx-auto max-w-2xl p-8">
        <div className="card space-y-3" role="alert">
          <h1 className="text-xl font-semibold">{title}</h1>
          <p className="text-slate-700">{detail}</p>
          <p className="text-sm text-slate-500">
            {t("errorPage.requestId")} <code data-testid="request-id">{requestId ?? t("errorPage.unavailable")}</code>
          </p>
          <a className="btn-secondary" href="/">
            {t("errorPage.back")}
          </a>
        </div>
      </main>
    </Document>
  );
}

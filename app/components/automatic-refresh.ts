// The one way a page refreshes itself: useAutomaticRefresh revalidates on a timer, and the data request that
// revalidation makes carries the automatic-refresh header (app/auth/automatic-refresh.ts), so it is not activity.
// Remix builds its data requests itself and takes no headers, hence the marker on fetch, installed once on hydration:
// it marks only the next data GET after the timer fired, so a person's own navigation still counts.
import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { AUTOMATIC_REFRESH_HEADER, AUTOMATIC_REFRESH_VALUE } from "~/auth/automatic-refresh";

let markNextDataRequest = false;

export function useAutomaticRefresh(active: boolean, intervalMs: number): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state !== "idle") return;
      markNextDataRequest = true;
      revalidator.revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs, revalidator]);
}

function isDataGet(input: RequestInfo | URL, init: RequestInit | undefined): boolean {
  const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
  const url = new URL(input instanceof Request ? input.url : String(input), window.location.href);
  return method === "GET" && url.origin === window.location.origin && url.pathname.endsWith(".data");
}

export function installAutomaticRefreshMarker(target: Window): void {
  const original = target.fetch.bind(target);
  target.fetch = (input, init) => {
    if (!markNextDataRequest || !isDataGet(input, init)) return original(input, init);
    markNextDataRequest = false;
    const headers = new Headers(init?.headers);
    headers.set(AUTOMATIC_REFRESH_HEADER, AUTOMATIC_REFRESH_VALUE);
    return original(input, { ...init, headers });
  };
}

import { useTranslation } from "react-i18next";
import { useEventSource } from "remix-utils/sse/react";
import type { Severity } from "~/detect/definitions";

interface FeedAlert {
  id: string;
  detector: string;
  severity: Severity;
  raisedAt: string;
}

function parse(data: string | null): FeedAlert[] {
  if (!data) return [];
  try {
    const value: unknown = JSON.parse(data);
    return Array.isArray(value) ? (value as FeedAlert[]) : [];
  } catch {
    return [];
  }
}

/** The newest unacknowledged alert, pushed by the server (alerts.stream) to every open page. */
export function AlertBanner() {
  const { t } = useTranslation("detect");
  const alerts = parse(useEventSource("/alerts/stream", { event: "alerts" }));
  const newest = alerts[0];
  if (!newest) return null;
  return (
    <div
      role="alert"
      data-testid="detect-alert-banner"
      className="bg-amber-500 px-4 py-2 text-center text-sm font-semibold text-slate-950"
    >
      {t("banner.raised", {
        detector: t(`detector.${newest.detector}` as never, { defaultValue: newest.detector }),
        severity: t(`severity.${newest.severity}`),
      })}{" "}
      <a className="underline" href={`/alerts/${newest.id}`}>
        {t("banner.open")}
      </a>
    </div>
  );
}

// The money chart: cumulative stolen / returned / outstanding yen over time, with the switch changes as vertical
// markers on the same time axis. Drawn by recharts in the browser only (recharts 3 renders an empty box on the
// server, ADR 031); the table below it is the chart's text alternative and what a page without JavaScript shows.
import { ClientOnly } from "remix-utils/client-only";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { formatJst, formatYen } from "~/lib/format";

const CHART_WIDTH = 760;
const CHART_HEIGHT = 280;
const TIME_OF_DAY = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

function tickLabel(value: number): string {
  return TIME_OF_DAY.format(new Date(value));
}

export function MoneyChart({ view }: { view: DashboardView }) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const { money } = view;
  const markers = view.switches.flatMap((s) =>
    s.changes.map((c) => ({ key: `${s.key}-${c.version}`, at: new Date(c.at).getTime(), engaged: c.engaged })),
  );
  const summary = t("dashboard.moneySummary", {
    stolen: formatYen(money.stolenYen, language),
    reversed: formatYen(money.reversedYen, language),
    outstanding: formatYen(money.outstandingYen, language),
  });
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm text-slate-600">{summary}</figcaption>
      <ClientOnly fallback={null}>
        {() => (
          <div role="img" aria-label={summary} data-testid="money-chart">
            <LineChart width={CHART_WIDTH} height={CHART_HEIGHT} data={money.series}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="at"
                type="number"
                scale="time"
                domain={["dataMin", "dataMax"]}
                tickFormatter={tickLabel}
              />
              <YAxis tickFormatter={(v: number) => formatYen(v, language)} width={96} />
              <Tooltip
                labelFormatter={(v) => formatJst(new Date(Number(v)), language)}
                formatter={(v) => formatYen(Number(v), language)}
              />
              <Legend />
              {markers.map((m) => (
                <ReferenceLine key={m.key} x={m.at} stroke={m.engaged ? "#dc2626" : "#16a34a"} strokeDasharray="4 2" />
              ))}
              <Line
                name={t("dashboard.stolen")}
                dataKey="stolenYen"
                stroke="#dc2626"
                dot={false}
                isAnimationActive={false}
                type="stepAfter"
              />
              <Line
                name={t("dashboard.reversed")}
                dataKey="reversedYen"
                stroke="#16a34a"
                dot={false}
                isAnimationActive={false}
                type="stepAfter"
              />
              <Line
                name={t("dashboard.outstanding")}
                dataKey="outstandingYen"
                stroke="#d97706"
                dot={false}
                isAnimationActive={false}
                type="stepAfter"
              />
            </LineChart>
          </div>
        )}
      </ClientOnly>
      <details>
        <summary className="cursor-pointer text-sm underline">{t("dashboard.moneyTable")}</summary>
        <table className="mt-2 min-w-full text-sm" data-testid="money-table">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="pr-3">{t("dashboard.time")}</th>
              <th className="pr-3 text-right">{t("dashboard.stolen")}</th>
              <th className="pr-3 text-right">{t("dashboard.reversed")}</th>
              <th className="text-right">{t("dashboard.outstanding")}</th>
            </tr>
          </thead>
          <tbody>
            {money.series.map((p) => (
              <tr key={p.at}>
                <td className="pr-3">{formatJst(new Date(p.at), language)}</td>
                <td className="pr-3 text-right tabular-nums">{formatYen(p.stolenYen, language)}</td>
                <td className="pr-3 text-right tabular-nums">{formatYen(p.reversedYen, language)}</td>
                <td className="text-right tabular-nums">{formatYen(p.outstandingYen, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

// The money chart: cumulative stolen / returned / outstanding yen over time, with the switch changes as vertical
// markers on the same time axis. visx renders the same SVG on the server and in the browser (ADR 038), so the page
// shows the chart before any script runs; the table below it is the chart's text alternative.
import { AxisBottom, AxisLeft } from "@visx/axis";
import { curveStepAfter } from "@visx/curve";
import { GridRows } from "@visx/grid";
import { Group } from "@visx/group";
import { scaleLinear, scaleUtc } from "@visx/scale";
import { Line, LinePath } from "@visx/shape";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import type { MoneyPoint } from "~/incidents/command/buckets";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { AXIS_COLOUR, ChartLegend, GRID_COLOUR, PlainTick, TICK_FONT_SIZE } from "~/incidents/command/ui/chart-parts";
import { formatJst, formatYen } from "~/lib/format";
import { JST_OFFSET_MS } from "~/lib/jst-date-time";

const CHART_WIDTH = 760;
const CHART_HEIGHT = 280;
// The right margin holds half of the last tick's label ("07/05 00:00"), which stands on the axis's end; the bottom one
// holds the tick labels and, under them, the axis's title naming the zone its times are in.
const MARGIN = { top: 12, right: 44, bottom: 46, left: 96 };
const AXIS_TITLE_OFFSET = 38;
const INNER_WIDTH = CHART_WIDTH - MARGIN.left - MARGIN.right;
const INNER_HEIGHT = CHART_HEIGHT - MARGIN.top - MARGIN.bottom;
// The axis runs on Tokyo's wall clock written as UTC (each instant shifted by nine hours), so that its ticks fall on
// Tokyo's midnights and noons whatever the time zone of the machine drawing it: a time scale places ticks in the
// machine's own zone, and the server (UTC) and a browser in Tokyo drew different axes, which React reported as a
// hydration mismatch before drawing the chart again in the browser.
const TIME_OF_DAY = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "UTC",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

const SERIES = [
  { key: "stolenYen", colour: "#dc2626", swatch: "bg-red-600", label: "dashboard.stolen" },
  { key: "reversedYen", colour: "#16a34a", swatch: "bg-green-600", label: "dashboard.reversed" },
  { key: "outstandingYen", colour: "#d97706", swatch: "bg-amber-600", label: "dashboard.outstanding" },
] as const;

export function MoneyChart({ view }: { view: DashboardView }) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const { money } = view;
  const summary = t("dashboard.moneySummary", {
    stolen: formatYen(money.stolenYen, language),
    reversed: formatYen(money.reversedYen, language),
    outstanding: formatYen(money.outstandingYen, language),
  });
  const series = money.series;
  const first = series[0]?.at ?? new Date(view.incident.openedAt).getTime();
  const last = series[series.length - 1]?.at ?? first;
  const tokyoScale = scaleUtc<number>({
    domain: [new Date(first + JST_OFFSET_MS), new Date(last + JST_OFFSET_MS)],
    range: [0, INNER_WIDTH],
  });
  const x = (at: number) => tokyoScale(new Date(at + JST_OFFSET_MS));
  const highest = Math.max(1, ...series.map((p) => Math.max(p.stolenYen, p.reversedYen, p.outstandingYen)));
  const y = scaleLinear<number>({ domain: [0, highest], range: [INNER_HEIGHT, 0], nice: true });
  const markers = view.switches
    .flatMap((s) =>
      s.changes.map((c) => ({ key: `${s.key}-${c.version}`, at: new Date(c.at).getTime(), engaged: c.engaged })),
    )
    .filter((m) => m.at >= first && m.at <= last);
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm text-slate-600">{summary}</figcaption>
      <svg
        width={CHART_WIDTH}
        height={CHART_HEIGHT}
        viewBox={`0 0 ${CHART_WIDTH} ${CHART_HEIGHT}`}
        className="h-auto max-w-full"
        role="img"
        aria-label={summary}
        data-testid="money-chart"
      >
        <Group left={MARGIN.left} top={MARGIN.top}>
          <GridRows scale={y} width={INNER_WIDTH} stroke={GRID_COLOUR} strokeDasharray="3 3" />
          <AxisBottom
            top={INNER_HEIGHT}
            scale={tokyoScale}
            numTicks={6}
            stroke={AXIS_COLOUR}
            tickStroke={AXIS_COLOUR}
            tickFormat={(v) => TIME_OF_DAY.format(v instanceof Date ? v : new Date(Number(v)))}
            tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
            tickComponent={PlainTick}
          />
          {/* The ticks are Tokyo's wall clock: without a title a reader could take them for UTC or their own zone. A
              plain <text>, as the ticks are (visx's axis label would bring a style attribute the CSP refuses). */}
          <text
            x={INNER_WIDTH / 2}
            y={INNER_HEIGHT + AXIS_TITLE_OFFSET}
            textAnchor="middle"
            fontSize={TICK_FONT_SIZE}
            fill={AXIS_COLOUR}
            data-testid="money-chart-time-axis"
          >
            {t("dashboard.axisTime")}
          </text>
          <AxisLeft
            scale={y}
            numTicks={5}
            stroke={AXIS_COLOUR}
            tickStroke={AXIS_COLOUR}
            tickFormat={(v) => formatYen(Number(v), language)}
            tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
            tickComponent={PlainTick}
          />
          {markers.map((m) => (
            <Line
              key={m.key}
              from={{ x: x(m.at), y: 0 }}
              to={{ x: x(m.at), y: INNER_HEIGHT }}
              stroke={m.engaged ? "#dc2626" : "#16a34a"}
              strokeDasharray="4 2"
              className="money-chart-marker"
            />
          ))}
          {SERIES.map((s) => (
            <LinePath<MoneyPoint>
              key={s.key}
              data={series}
              x={(p) => x(p.at)}
              y={(p) => y(p[s.key])}
              curve={curveStepAfter}
              stroke={s.colour}
              strokeWidth={2}
              fill="none"
              className="money-chart-line"
              data-series={s.key}
            />
          ))}
        </Group>
      </svg>
      <ChartLegend entries={SERIES.map((s) => ({ label: t(s.label), swatchClass: s.swatch }))} />
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
            {series.map((p) => (
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

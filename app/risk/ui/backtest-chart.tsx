// A backtest's matches per day (JST), fraud and legitimate stacked, drawn by visx on the server and in the browser alike
// with the dashboard's chart pieces (ADR 038), over the table of the same counts that is its text alternative.
import { AxisBottom, AxisLeft } from "@visx/axis";
import { GridRows } from "@visx/grid";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scaleOrdinal } from "@visx/scale";
import { BarStack } from "@visx/shape";
import { useTranslation } from "react-i18next";
import type { Language } from "~/i18n/config";
import {
  AXIS_COLOUR,
  ChartLegend,
  GRID_COLOUR,
  PlainTick,
  TICK_FONT_SIZE,
  stackRects,
} from "~/incidents/command/ui/chart-parts";
import { formatCount } from "~/lib/format";

type Day = { day: string; fraud: number; legitimate: number };

const SERIES = ["fraud", "legitimate"] as const;
type Series = (typeof SERIES)[number];

/** Fill per series, and the matching Tailwind class for the legend swatches. */
const COLOURS: Record<Series, { fill: string; swatch: string }> = {
  fraud: { fill: "#b91c1c", swatch: "bg-red-700" },
  legitimate: { fill: "#64748b", swatch: "bg-slate-500" },
};

const WIDTH = 720;
const HEIGHT = 220;
const MARGIN = { top: 8, right: 16, bottom: 28, left: 48 };
const INNER_WIDTH = WIDTH - MARGIN.left - MARGIN.right;
const INNER_HEIGHT = HEIGHT - MARGIN.top - MARGIN.bottom;
// A backtest can span weeks of history; more date labels than this would overlap.
const MAX_DAY_LABELS = 8;

function StackedBars({ days, summary, language }: { days: Day[]; summary: string; language: Language }) {
  const x = scaleBand<string>({ domain: days.map((d) => d.day), range: [0, INNER_WIDTH], padding: 0.2 });
  const y = scaleLinear<number>({
    domain: [0, Math.max(1, ...days.map((d) => d.fraud + d.legitimate))],
    range: [INNER_HEIGHT, 0],
    nice: true,
  });
  const colour = scaleOrdinal<Series, string>({ domain: [...SERIES], range: SERIES.map((s) => COLOURS[s].fill) });
  const every = Math.ceil(days.length / MAX_DAY_LABELS);
  const dayTicks = days.filter((_, k) => k % every === 0).map((d) => d.day);
  // Counts are whole top-ups: a fractional tick ("0.5 matches") would mean nothing.
  const countTicks = y.ticks(4).filter((v) => Number.isInteger(v));
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      className="h-auto max-w-full"
      role="img"
      aria-label={summary}
      data-testid="backtest-chart"
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        <GridRows scale={y} width={INNER_WIDTH} stroke={GRID_COLOUR} strokeDasharray="3 3" tickValues={countTicks} />
        <BarStack<Day, Series> data={days} keys={[...SERIES]} x={(d) => d.day} xScale={x} yScale={y} color={colour}>
          {(stacks) => stackRects(stacks, "series")}
        </BarStack>
        <AxisLeft
          scale={y}
          tickValues={countTicks}
          stroke={AXIS_COLOUR}
          tickStroke={AXIS_COLOUR}
          tickFormat={(v) => formatCount(Number(v), language)}
          tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
          tickComponent={PlainTick}
        />
        <AxisBottom
          top={INNER_HEIGHT}
          scale={x}
          tickValues={dayTicks}
          stroke={AXIS_COLOUR}
          tickStroke={AXIS_COLOUR}
          // Days are JST calendar dates (YYYY-MM-DD); the month and day are enough under a chart of one backtest.
          tickFormat={(day) => String(day).slice(5)}
          tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
          tickComponent={PlainTick}
        />
      </Group>
    </svg>
  );
}

/** `events`: what the matches are, already translated (top-ups, sign-ins, …). */
export function BacktestChart({ days, language, events }: { days: Day[]; language: Language; events: string }) {
  const { t } = useTranslation("risk");
  const fraud = days.reduce((sum, d) => sum + d.fraud, 0);
  const legitimate = days.reduce((sum, d) => sum + d.legitimate, 0);
  const summary = t("results.chartSummary", {
    days: formatCount(days.length, language),
    fraud: formatCount(fraud, language),
    legitimate: formatCount(legitimate, language),
    events,
  });
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium">{t("results.chart")}</figcaption>
      <StackedBars days={days} summary={summary} language={language} />
      <ChartLegend
        entries={[
          { label: t("results.fraud"), swatchClass: COLOURS.fraud.swatch },
          { label: t("results.legitimate"), swatchClass: COLOURS.legitimate.swatch },
        ]}
      />
      <details className="text-sm">
        <summary className="cursor-pointer text-slate-600">{t("results.chartTable")}</summary>
        <table className="mt-1 text-sm" data-testid="backtest-table">
          <thead className="text-left text-xs uppercase text-slate-500">
            <tr>
              <th className="pr-3">{t("results.day")}</th>
              <th className="pr-3 text-right">{t("results.fraud")}</th>
              <th className="text-right">{t("results.legitimate")}</th>
            </tr>
          </thead>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <td className="pr-3 tabular-nums">{d.day}</td>
                <td className="pr-3 text-right tabular-nums">{formatCount(d.fraud, language)}</td>
                <td className="text-right tabular-nums">{formatCount(d.legitimate, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

// Where the money went (stores, product categories) as horizontal bars, rendered by visx on the server and in the
// browser alike (ADR 038), over the table that is their text alternative.
import { AxisBottom, AxisLeft } from "@visx/axis";
import { GridColumns } from "@visx/grid";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { useTranslation } from "react-i18next";
import { isLanguage, type Language } from "~/i18n/config";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { AXIS_COLOUR, GRID_COLOUR, PlainTick, TICK_FONT_SIZE } from "~/incidents/command/ui/chart-parts";
import { formatCount, formatYen } from "~/lib/format";

const CHART_WIDTH = 520;
const ROW_HEIGHT = 28;
const MARGIN = { top: 8, right: 24, bottom: 28, left: 120 };
const INNER_WIDTH = CHART_WIDTH - MARGIN.left - MARGIN.right;

function BarsSvg({
  rows,
  summary,
  language,
}: {
  rows: DashboardView["stores"];
  summary: string;
  language: Language | undefined;
}) {
  const innerHeight = rows.length * ROW_HEIGHT;
  const height = innerHeight + MARGIN.top + MARGIN.bottom;
  const y = scaleBand<string>({ domain: rows.map((r) => r.key), range: [0, innerHeight], padding: 0.2 });
  const x = scaleLinear<number>({
    domain: [0, Math.max(1, ...rows.map((r) => r.yen))],
    range: [0, INNER_WIDTH],
    nice: true,
  });
  const yen = (v: unknown) => formatYen(Number(v), language);
  return (
    <svg
      width={CHART_WIDTH}
      height={height}
      viewBox={`0 0 ${CHART_WIDTH} ${height}`}
      className="h-auto max-w-full"
      role="img"
      aria-label={summary}
    >
      <Group left={MARGIN.left} top={MARGIN.top}>
        <GridColumns scale={x} height={innerHeight} stroke={GRID_COLOUR} strokeDasharray="3 3" numTicks={4} />
        {rows.map((r) => (
          <Bar
            key={r.key}
            x={0}
            y={y(r.key) ?? 0}
            width={x(r.yen)}
            height={y.bandwidth()}
            fill="#7c3aed"
            className="destination-bar"
          />
        ))}
        <AxisLeft
          scale={y}
          stroke={AXIS_COLOUR}
          tickStroke={AXIS_COLOUR}
          tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
          tickComponent={PlainTick}
        />
        <AxisBottom
          top={innerHeight}
          scale={x}
          numTicks={4}
          stroke={AXIS_COLOUR}
          tickStroke={AXIS_COLOUR}
          tickFormat={yen}
          tickLabelProps={{ fill: AXIS_COLOUR, fontSize: TICK_FONT_SIZE }}
          tickComponent={PlainTick}
        />
      </Group>
    </svg>
  );
}

export function DestinationChart({
  title,
  rows,
  testId,
}: {
  title: string;
  rows: DashboardView["stores"];
  testId: string;
}) {
  const { t, i18n } = useTranslation("command");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const labelOf = (row: DashboardView["stores"][number]) => (language === "en" ? row.labelEn : row.label);
  const summary = rows.length
    ? `${title}: ${rows
        .slice(0, 3)
        .map((r) => `${labelOf(r)} ${formatYen(r.yen, language)}`)
        .join(", ")}`
    : `${title}: ${t("dashboard.none")}`;
  return (
    <figure className="space-y-2">
      <figcaption className="font-semibold">{title}</figcaption>
      {rows.length > 0 ? <BarsSvg rows={rows} summary={summary} language={language} /> : null}
      <table className="min-w-full text-sm" data-testid={testId}>
        <thead className="text-left text-xs uppercase text-slate-500">
          <tr>
            <th className="pr-3" />
            <th className="pr-3 text-right">{t("dashboard.amount")}</th>
            <th className="text-right">{t("dashboard.purchases")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <td className="pr-3">
                <span className="font-mono">{r.key}</span> {labelOf(r)}
              </td>
              <td className="pr-3 text-right tabular-nums">{formatYen(r.yen, language)}</td>
              <td className="text-right tabular-nums">{formatCount(r.purchases, language)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="text-sm text-slate-600">{t("dashboard.none")}</p> : null}
    </figure>
  );
}

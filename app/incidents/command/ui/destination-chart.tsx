// Where the money went (stores, product categories) as horizontal bars drawn in the browser, over the table that is
// their text alternative.
import { ClientOnly } from "remix-utils/client-only";
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { formatCount, formatYen } from "~/lib/format";

const CHART_WIDTH = 520;
const ROW_HEIGHT = 28;
const CHART_PADDING = 40;

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
  const summary = rows.length
    ? `${title}: ${rows
        .slice(0, 3)
        .map((r) => `${r.label} ${formatYen(r.yen, language)}`)
        .join(", ")}`
    : `${title}: ${t("dashboard.none")}`;
  return (
    <figure className="space-y-2">
      <figcaption className="font-semibold">{title}</figcaption>
      {rows.length > 0 ? (
        <ClientOnly fallback={null}>
          {() => (
            <div role="img" aria-label={summary}>
              <BarChart
                width={CHART_WIDTH}
                height={rows.length * ROW_HEIGHT + CHART_PADDING}
                data={rows}
                layout="vertical"
              >
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis type="number" tickFormatter={(v: number) => formatYen(v, language)} />
                <YAxis type="category" dataKey="key" width={120} />
                <Tooltip formatter={(v) => formatYen(Number(v), language)} />
                <Bar dataKey="yen" name={t("dashboard.amount")} fill="#7c3aed" isAnimationActive={false} />
              </BarChart>
            </div>
          )}
        </ClientOnly>
      ) : null}
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
                <span className="font-mono">{r.key}</span> {r.label}
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

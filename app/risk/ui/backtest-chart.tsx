// Matches per day of a backtest, fraud and legitimate stacked (recharts renders SVG on the server and the client).
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";

export function BacktestChart({
  days,
  labels,
}: {
  days: { day: string; fraud: number; legitimate: number }[];
  labels: { fraud: string; legitimate: string };
}) {
  return (
    <BarChart width={720} height={220} data={days} data-testid="backtest-chart">
      <CartesianGrid strokeDasharray="3 3" />
      <XAxis dataKey="day" tick={{ fontSize: 11 }} />
      <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
      <Tooltip />
      <Legend />
      <Bar dataKey="fraud" name={labels.fraud} stackId="m" fill="#b91c1c" isAnimationActive={false} />
      <Bar dataKey="legitimate" name={labels.legitimate} stackId="m" fill="#64748b" isAnimationActive={false} />
    </BarChart>
  );
}

// A policy against each wave the generator can produce: the yen the attack takes without the policy and with it, and
// when the policy would have engaged. The same rows as a plain-text table, to paste into a review or a ticket.
import { useTranslation } from "react-i18next";
import type { WaveOutcome as WaveRow } from "~/detect/policy-waves.server";
import type { Language } from "~/i18n/config";
import { formatYen } from "~/lib/format";

function share(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(2)}%` : "—";
}

export function PolicyWaveTable({ rows, title }: { rows: WaveRow[]; title: string }) {
  const { t, i18n } = useTranslation("detect");
  const language = i18n.language as Language;
  const engaged = (ms: number | null) =>
    ms === null
      ? t("policies.waves.never")
      : ms < 0
        ? t("policies.waves.before", { minutes: Math.round(-ms / 60_000) })
        : t("policies.waves.after", { minutes: Math.round(ms / 60_000) });
  const cells = rows.map((r) => [
    t(`policies.waves.name.${r.variant}` as never, { defaultValue: r.variant }),
    formatYen(r.withoutYen, language),
    `${formatYen(r.withYen, language)} (${share(r.withYen, r.withoutYen)})`,
    engaged(r.engagedAfterMs),
  ]);
  const header = [
    t("policies.waves.column.wave"),
    t("policies.waves.column.without"),
    t("policies.waves.column.with"),
    t("policies.waves.column.engaged"),
  ];
  const text = [header, ...cells].map((line) => `| ${line.join(" | ")} |`).join("\n");
  return (
    <div className="space-y-2" data-testid="policy-waves">
      <h3 className="text-sm font-semibold">{title}</h3>
      <table className="min-w-full text-sm">
        <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {header.map((h) => (
              <th key={h} className="py-1 pr-3">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {cells.map((row, k) => (
            <tr key={rows[k]!.variant} data-testid="policy-wave-row">
              {row.map((cell, c) => (
                <td key={c} className="py-1 pr-3">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary className="cursor-pointer text-xs text-slate-600">{t("policies.waves.text")}</summary>
        <pre className="overflow-x-auto text-xs" data-testid="policy-waves-text">
          {text}
        </pre>
      </details>
    </div>
  );
}

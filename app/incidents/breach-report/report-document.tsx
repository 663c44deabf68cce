// The breach report as a document: the in-app printable page and the server-side PDF render this same component.
// Japanese is what is filed; the English version is for the company's own readers.
import { FIGURE_QUERIES } from "~/incidents/breach-report/figure-queries";
import { REPORT_ITEMS, missingItems, type ReportItems, type ReportLanguage } from "~/incidents/breach-report/items";
import { deadlineDateJst } from "~/incidents/breach-report/deadlines";
import { formatCount, formatJst, formatYen } from "~/lib/format";

export interface ReportDocumentData {
  id: string;
  incidentId: string;
  incidentCode: string;
  kind: "PRELIMINARY" | "FINAL";
  version: number;
  learnedAt: string;
  unauthorizedIntent: boolean;
  deadline: string;
  items: ReportItems;
  figures: { computedAt: string; values: Record<string, number | string | null> };
}

const WORDS = {
  ja: {
    title: { PRELIMINARY: "個人データの漏えい等報告書（速報）", FINAL: "個人データの漏えい等報告書（確報）" },
    to: "個人情報保護委員会 御中",
    incident: "インシデント",
    version: "版",
    learnedAt: "事態を知った日時",
    deadline: "報告期限",
    // The deadline day, then the moment it ends: "the 8th (until the 9th, 00:00)" read as two different dates.
    until: (end: string) => `（${end} まで）`,
    intent: "不正の目的によるおそれ",
    yes: "有",
    no: "無",
    figures: "数値（各数値は算出したクエリにリンクしています）",
    computedAt: "集計時刻",
    query: "クエリ",
    missing: "未記入の項目",
    empty: "（未記入）",
  },
  en: {
    title: { PRELIMINARY: "Personal data breach report (preliminary)", FINAL: "Personal data breach report (final)" },
    to: "To the Personal Information Protection Commission",
    incident: "Incident",
    version: "Version",
    learnedAt: "Learned of it at",
    deadline: "Deadline",
    until: (end: string) => ` (until ${end})`,
    intent: "Possibly caused with unauthorised intent",
    yes: "Yes",
    no: "No",
    figures: "Figures (each links to the query that produced it)",
    computedAt: "Computed at",
    query: "query",
    missing: "Items still empty",
    empty: "(not written yet)",
  },
} as const;

export function formatFigure(unit: string, value: number | string | null): string {
  if (value === null) return "—";
  if (unit === "yen") return formatYen(Number(value));
  if (unit === "time") return formatJst(String(value));
  return formatCount(Number(value));
}

export function queryHref(baseUrl: string, incidentId: string, key: string): string {
  return `${baseUrl}/incidents/${incidentId}/queries#${key}`;
}

export function ReportDocument({
  report,
  language,
  baseUrl = "",
}: {
  report: ReportDocumentData;
  language: ReportLanguage;
  baseUrl?: string;
}) {
  const w = WORDS[language];
  const missing = missingItems(report.items, language);
  return (
    <article lang={language} className="report space-y-4" data-testid="breach-report">
      <header className="space-y-1">
        <p className="text-sm">{w.to}</p>
        <h1 className="text-2xl font-bold">{w.title[report.kind]}</h1>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 text-sm">
          <dt>{w.incident}</dt>
          <dd>{report.incidentCode}</dd>
          <dt>{w.version}</dt>
          <dd data-testid="report-version">{report.version}</dd>
          <dt>{w.learnedAt}</dt>
          <dd>{formatJst(report.learnedAt)}</dd>
          <dt>{w.deadline}</dt>
          <dd data-testid="report-deadline">
            {deadlineDateJst(new Date(report.deadline))}
            {w.until(formatJst(report.deadline))}
          </dd>
          <dt>{w.intent}</dt>
          <dd>{report.unauthorizedIntent ? w.yes : w.no}</dd>
        </dl>
      </header>
      <section>
        <h2 className="font-semibold">{w.figures}</h2>
        <p className="text-xs">
          {w.computedAt}: {formatJst(report.figures.computedAt)}
        </p>
        <table className="min-w-full text-sm" data-testid="report-figures">
          <tbody>
            {FIGURE_QUERIES.map((q) => (
              <tr key={q.key} data-figure={q.key}>
                <th className="pr-3 text-left font-normal">{q[language]}</th>
                <td className="pr-3 text-right tabular-nums" data-testid={`figure-${q.key}`}>
                  {formatFigure(q.unit, report.figures.values[q.key] ?? null)}
                </td>
                <td className="text-xs">
                  <a className="underline" href={queryHref(baseUrl, report.incidentId, q.key)}>
                    {w.query}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {missing.length > 0 ? (
        <p className="text-sm text-amber-800" data-testid="missing-items">
          {w.missing}: {missing.map((key) => REPORT_ITEMS.find((i) => i.key === key)![language]).join("、")}
        </p>
      ) : null}
      <ol className="space-y-3">
        {REPORT_ITEMS.map((item, index) => (
          <li key={item.key} data-item={item.key}>
            <h2 className="font-semibold">
              {index + 1}. {item[language]}
            </h2>
            <p className="whitespace-pre-wrap text-sm">{report.items[item.key][language] || w.empty}</p>
          </li>
        ))}
      </ol>
    </article>
  );
}

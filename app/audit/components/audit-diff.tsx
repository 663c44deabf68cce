// Before/after of one audit row as a field-by-field table. Colour is never the only signal: each line also says
// "added", "removed" or "changed" in text, and unchanged fields are listed after the changes.
import { useTranslation } from "react-i18next";
import { diffAuditValues, type DiffKind } from "~/audit/diff";
import { AuditValue } from "~/audit/components/system-reason";

const KIND_STYLE: Record<DiffKind, string> = {
  added: "bg-emerald-50",
  removed: "bg-red-50",
  changed: "bg-amber-50",
  unchanged: "text-slate-500",
};

function Value({ path, text, tone }: { path: string; text: string | undefined; tone: "before" | "after" }) {
  if (text === undefined) return <span className="text-slate-400">—</span>;
  return (
    <code
      className={`whitespace-pre-wrap break-all ${tone === "before" ? "text-red-900" : "text-emerald-900"}`}
      data-testid={`diff-${tone}`}
    >
      <AuditValue path={path} text={text} />
    </code>
  );
}

export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { lines, truncated } = diffAuditValues(before, after);
  const { t } = useTranslation("audit");
  if (lines.length === 0) {
    return <p className="text-sm text-slate-500">{t("diff.none")}</p>;
  }
  return (
    <div className="overflow-x-auto">
      <table className="min-w-full text-left text-xs" data-testid="audit-diff">
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("diff.field")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("diff.change")}
            </th>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("diff.before")}
            </th>
            <th scope="col" className="py-1 font-medium">
              {t("diff.after")}
            </th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.path} className={KIND_STYLE[line.kind]} data-kind={line.kind}>
              <th scope="row" className="py-1 pr-3 align-top font-mono font-normal">
                {/* A key of the stored record, shown as it is stored (not a sentence to translate). */}
                <code>{line.path}</code>
              </th>
              <td className="py-1 pr-3 align-top">{t(`diff.kind.${line.kind}`)}</td>
              <td className="py-1 pr-3 align-top">
                <Value path={line.path} text={line.before} tone="before" />
              </td>
              <td className="py-1 align-top">
                <Value path={line.path} text={line.after} tone="after" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated ? <p className="mt-1 text-xs text-slate-500">{t("diff.truncated")}</p> : null}
    </div>
  );
}

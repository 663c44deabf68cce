// The outcome of "Verify chain": intact, or the first bad row with a link to it in the audit view.
import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { formatCount } from "~/lib/format";

export interface VerificationView {
  ok: boolean;
  chain: { rowsChecked: number; headSeq: string | null };
  checkpoints: { total: number; valid: number; latestGood: { id: string; seq: string; signedAt: string } | null };
  firstBad: { seq: string; problem: string; detail: string } | null;
  problems: { seq: string; problem: string; detail: string }[];
  warnings: string[];
  durationMs: number;
}

export function VerificationResult({ result }: { result: VerificationView }) {
  const seconds = (result.durationMs / 1000).toFixed(1);
  const { t, i18n } = useTranslation("audit");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <section
      role={result.ok ? "status" : "alert"}
      data-testid="verification-result"
      data-ok={result.ok ? "true" : "false"}
      className={`card space-y-2 ${result.ok ? "bg-emerald-50 ring-emerald-200" : "bg-red-50 ring-red-200"}`}
    >
      <h2 className="text-lg font-semibold">
        {result.ok ? t("verification.intact") : t("verification.tampered", { seq: result.firstBad?.seq ?? "?" })}
      </h2>
      <p className="text-sm">
        {t("verification.summary", {
          rows: formatCount(result.chain.rowsChecked, language),
          seconds,
          head: result.chain.headSeq ?? t("verification.none"),
          valid: result.checkpoints.valid,
          total: result.checkpoints.total,
        })}
      </p>
      {result.firstBad ? (
        <div className="space-y-1 text-sm">
          <p>
            <span className="font-semibold">{result.firstBad.problem}</span>: {result.firstBad.detail}
          </p>
          <Link className="underline" to={`/audit?before=${BigInt(result.firstBad.seq) + 1n}`}>
            {t("verification.showFrom", { seq: result.firstBad.seq })}
          </Link>
          {result.problems.length > 1 ? (
            <ul className="list-inside list-disc text-slate-700">
              {result.problems.slice(1).map((p) => (
                <li key={`${p.problem}-${p.seq}-${p.detail}`}>
                  {t("verification.problem", { seq: p.seq, problem: p.problem, detail: p.detail })}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {result.warnings.map((warning) => (
        <p key={warning} className="text-sm text-amber-900">
          {warning}
        </p>
      ))}
    </section>
  );
}

// A rule version's latest backtest: what it replayed and matched, the fraud it would have stopped, the legitimate
// events it would have touched, and the matches per day. Each figure is a label and a value in one list.
import { Fragment } from "react";
import { useTranslation } from "react-i18next";
import type { Language } from "~/i18n/config";
import { formatCount, formatJst, formatYen } from "~/lib/format";
import type { BacktestResults } from "~/risk/backtest.server";
import { resultsNoun } from "~/risk/results-kind";
import { BacktestChart } from "~/risk/ui/backtest-chart";

interface Figure {
  label: string;
  value: string;
  /** For the end-to-end tests that read one figure. */
  testId?: string;
}

const percent = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(2)}%`);

export function BacktestResultsPanel({
  backtest,
  language,
}: {
  backtest: { createdAt: Date | string; results: BacktestResults } | null;
  language: Language;
}) {
  const { t } = useTranslation("risk");
  const r = backtest?.results;
  const events = t(`events.${resultsNoun(r?.eventKinds)}`);
  if (!backtest || !r) {
    return (
      <section className="card space-y-3" data-testid="backtest-results">
        <p className="text-sm text-slate-600">{t("results.none")}</p>
      </section>
    );
  }
  const count = (n: number) => formatCount(n, language);
  const yen = (n: number) => formatYen(n, language);
  const figures: Figure[] = [
    { label: t("results.replayed", { events }), value: count(r.topUpsReplayed) },
    { label: t("results.matched", { events }), value: count(r.matched.topUps), testId: "backtest-matched" },
    {
      label: t("results.fraudStopped"),
      value: `${yen(r.fraudStopped.yen)} / ${yen(r.groundTruth.yen)}`,
      testId: "backtest-fraud-stopped",
    },
    { label: t("results.victims"), value: `${count(r.fraudStopped.victims)} / ${count(r.groundTruth.victims)}` },
    {
      label: t("results.legitTouched", { events }),
      value: `${count(r.legitimateTouched.topUps)} / ${count(r.legitimateTotal.topUps)} (${yen(r.legitimateTouched.yen)})`,
      testId: "backtest-legit-touched",
    },
    { label: t("results.precision"), value: percent(r.precision) },
    { label: t("results.recall"), value: percent(r.recallYen) },
  ];
  return (
    <section className="card space-y-3" data-testid="backtest-results">
      <h2 className="font-semibold">{t("results.heading", { at: formatJst(backtest.createdAt, language) })}</h2>
      {r.matched.topUps === 0 ? (
        <p className="text-sm font-medium text-amber-800" data-testid="backtest-nothing">
          {t("results.matchedNothing")}
        </p>
      ) : null}
      {!r.groundTruth.available ? <p className="text-sm text-slate-600">{t("results.noTruth")}</p> : null}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        {figures.map((figure) => (
          <Fragment key={figure.label}>
            <dt className="text-slate-500">{figure.label}</dt>
            <dd className="tabular-nums" data-testid={figure.testId}>
              {figure.value}
            </dd>
          </Fragment>
        ))}
      </dl>
      {r.matchesByDay.length > 0 ? <BacktestChart days={r.matchesByDay} language={language} events={events} /> : null}
    </section>
  );
}

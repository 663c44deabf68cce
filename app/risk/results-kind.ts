// What a backtest's figures count, for their labels: the events of the one kind its rules decide, or "events" when
// a result covers several kinds. Results saved before kinds existed counted top-ups.
import { EVENT_KINDS, type EventKind } from "~/risk/features";

export type ResultsNoun = EventKind | "MIXED";

export function resultsNoun(eventKinds: readonly string[] | undefined | null): ResultsNoun {
  const kinds = (eventKinds ?? ["TOP_UP"]).filter((k): k is EventKind =>
    (EVENT_KINDS as readonly string[]).includes(k),
  );
  if (kinds.length === 0) return "TOP_UP";
  return kinds.length === 1 ? kinds[0]! : "MIXED";
}

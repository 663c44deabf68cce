// The kinds of timeline entry, shared by the timeline query and the page's filter (so not a .server module).
export const TIMELINE_CATEGORIES = [
  "wallet",
  "alert",
  "switch",
  "cohort",
  "case",
  "money",
  "recovery",
  "notice",
  "job",
  "other",
] as const;
export type TimelineCategory = (typeof TIMELINE_CATEGORIES)[number];

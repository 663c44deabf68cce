// A small coloured status marker, the one look every capability's status badges share (browser-safe).
const TONES = {
  red: "bg-red-50 text-red-800 ring-red-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  slate: "bg-slate-100 text-slate-700 ring-slate-200",
} as const;

export type Tone = keyof typeof TONES;

/** `wrap` lets a long marker break onto a second line where its column is narrow, instead of running out of its card. */
export function Pill({
  tone,
  children,
  testId,
  wrap = false,
}: {
  tone: Tone;
  children: React.ReactNode;
  testId?: string;
  wrap?: boolean;
}) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center ${wrap ? "" : "whitespace-nowrap"} rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

// Pieces the dashboard's visx charts share. visx draws the tick labels through its Text component, which wraps each
// label in an <svg style="overflow: visible">; a server-rendered style attribute is refused by the console's CSP
// (style-src 'self'), so the axes here draw plain <text> elements with presentation attributes instead.
import type { TickRendererProps } from "@visx/axis";

export const AXIS_COLOUR = "#64748b";
export const GRID_COLOUR = "#e2e8f0";
export const TICK_FONT_SIZE = 11;

export function PlainTick({ x, y, dx, dy, formattedValue, textAnchor, fontSize, fill }: TickRendererProps) {
  return (
    <text x={x} y={y} dx={dx} dy={dy} textAnchor={textAnchor} fontSize={fontSize} fill={fill}>
      {formattedValue}
    </text>
  );
}

/** Legend entries as HTML (a swatch and a label), so the legend wraps and reads like text. */
export function ChartLegend({ entries }: { entries: { label: string; swatchClass: string }[] }) {
  return (
    <ul className="flex flex-wrap gap-4 text-xs text-slate-700">
      {entries.map((entry) => (
        <li key={entry.label} className="flex items-center gap-1">
          <span aria-hidden="true" className={`inline-block h-0.5 w-4 ${entry.swatchClass}`} />
          {entry.label}
        </li>
      ))}
    </ul>
  );
}

interface StackOfBars {
  key: string | number;
  bars: { index: number; x: number; y: number; width: number; height: number; color: string }[];
}

/**
 * The rectangles of a visx BarStack or BarStackHorizontal, empty segments left out, each tagged with its series under
 * `data-<tag>` (what the tests and the legend's text alternative read).
 */
export function stackRects(stacks: StackOfBars[], tag: "part" | "series") {
  return stacks.flatMap((stack) =>
    stack.bars
      .filter((bar) => bar.width > 0 && bar.height > 0)
      .map((bar) => (
        <rect
          key={`${stack.key}-${bar.index}`}
          x={bar.x}
          y={bar.y}
          width={bar.width}
          height={bar.height}
          fill={bar.color}
          {...{ [`data-${tag}`]: stack.key }}
        />
      )),
  );
}

// One notice campaign's outcome as a stacked bar (delivered, bounced, failed, uncertain, skipped, still queued), drawn
// by visx on the server and in the browser alike (ADR 038); the counts beside it are its text.
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scaleOrdinal } from "@visx/scale";
import { BarStackHorizontal } from "@visx/shape";
import type { DashboardView } from "~/incidents/command/dashboard-view";
import { stackRects } from "~/incidents/command/ui/chart-parts";

type Campaign = DashboardView["campaigns"][number];

export const CAMPAIGN_PARTS = ["delivered", "bounced", "failed", "uncertain", "skipped", "queued"] as const;
export type CampaignPart = (typeof CAMPAIGN_PARTS)[number];

/** Fill per part, and the matching Tailwind class for the legend swatches. */
export const CAMPAIGN_COLOURS: Record<CampaignPart, { fill: string; swatch: string }> = {
  delivered: { fill: "#16a34a", swatch: "bg-green-600" },
  bounced: { fill: "#dc2626", swatch: "bg-red-600" },
  failed: { fill: "#7f1d1d", swatch: "bg-red-900" },
  uncertain: { fill: "#d97706", swatch: "bg-amber-600" },
  skipped: { fill: "#94a3b8", swatch: "bg-slate-400" },
  queued: { fill: "#e2e8f0", swatch: "bg-slate-200" },
};

const WIDTH = 480;
const HEIGHT = 14;

export function CampaignBar({ campaign, label }: { campaign: Campaign; label: string }) {
  const x = scaleLinear<number>({ domain: [0, Math.max(campaign.total, 1)], range: [0, WIDTH] });
  const y = scaleBand<string>({ domain: [campaign.template], range: [0, HEIGHT] });
  const colour = scaleOrdinal<CampaignPart, string>({
    domain: [...CAMPAIGN_PARTS],
    range: CAMPAIGN_PARTS.map((part) => CAMPAIGN_COLOURS[part].fill),
  });
  return (
    <svg
      width={WIDTH}
      height={HEIGHT}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      className="h-3 w-full"
      role="img"
      aria-label={label}
      data-testid="campaign-bar"
    >
      <rect width={WIDTH} height={HEIGHT} fill={CAMPAIGN_COLOURS.queued.fill} />
      <Group>
        <BarStackHorizontal<Campaign, CampaignPart>
          data={[campaign]}
          keys={[...CAMPAIGN_PARTS]}
          y={(c) => c.template}
          xScale={x}
          yScale={y}
          color={colour}
        >
          {(stacks) => stackRects(stacks, "part")}
        </BarStackHorizontal>
      </Group>
    </svg>
  );
}

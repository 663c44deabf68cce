import type { SerializeFrom } from "@remix-run/node";
import type { SwitchBoard } from "~/killswitch/board.server";
import type { TopUpAdmission } from "~/wallet/probe.server";

export type BoardData = SerializeFrom<SwitchBoard>;
export type BoardSwitch = BoardData["switches"][number];
export type Admission = SerializeFrom<TopUpAdmission>;

export interface Viewer {
  id: string;
  canChange: boolean;
  canApprove: boolean;
  steppedUp: boolean;
}

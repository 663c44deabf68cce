import type { SwitchBoard } from "~/killswitch/board.server";
import type { TopUpAdmission } from "~/wallet/probe.server";

// Single fetch delivers the loader's values as they are (dates stay dates), so the views use the server's own types.
export type BoardData = SwitchBoard;
export type BoardSwitch = BoardData["switches"][number];
export type Admission = TopUpAdmission;

export interface Viewer {
  id: string;
  canChange: boolean;
  canApprove: boolean;
  steppedUp: boolean;
}

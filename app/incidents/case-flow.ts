// The order a case moves through, shared by the server (transitions) and the pages (columns, filters). Not a .server
// module: the browser bundle needs it, and Remix replaces .server modules with empty ones there.
import type { CaseStatus } from "~/generated/prisma/enums";

export const CASE_FLOW = [
  "OPEN",
  "CONTAINED",
  "REMEDIATED",
  "NOTIFIED",
  "CLOSED",
] as const satisfies readonly CaseStatus[];

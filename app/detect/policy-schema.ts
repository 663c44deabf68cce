// What a containment policy proposal carries. Kept out of policies.server.ts: the policies page builds its form schema
// from this one when its module loads, in the browser too, where a server module's exports do not exist.
import { z } from "zod";
import { DETECTORS, SEVERITIES } from "./definitions";

export const ProposePolicySchema = z.object({
  detector: z.enum(DETECTORS.map((d) => d.key) as [string, ...string[]], {
    errorMap: () => ({ message: "detect:errors.unknownDetector" }),
  }),
  minSeverity: z.enum(SEVERITIES),
  switchKey: z.string().trim().min(1).max(80),
});
export type ProposePolicyInput = z.infer<typeof ProposePolicySchema>;

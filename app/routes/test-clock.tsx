import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import type { Permission } from "~/auth/permissions";
import { advanceClock, now, resetClock, testClockEnabled } from "~/lib/clock.server";
import { readForm } from "~/lib/form.server";

// Test-only: moves the server clock so end-to-end tests can cross the idle and absolute session timeouts and the
// lockout windows. It exists only when FIREBREAK_TEST_CLOCK=1 and NODE_ENV is not production; otherwise every request
// gets a 404 as if the route did not exist. No permission because it is no part of the product.
export const permission: Permission | null = null;

function requireTestClock(): void {
  if (!testClockEnabled()) throw new Response("Not found", { status: 404 });
}

const ClockChange = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("advance"),
    ms: z.coerce
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 60 * 60 * 1000),
  }),
  z.object({ intent: z.literal("reset") }),
]);

export async function loader(_args: LoaderFunctionArgs) {
  requireTestClock();
  return Response.json({ now: now().toISOString() });
}

export async function action({ request }: ActionFunctionArgs) {
  // Read the body first: answering before it is consumed makes some clients see a reset connection.
  const form = await readForm(request);
  requireTestClock();
  const parsed = ClockChange.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return Response.json({ error: "Send intent=advance&ms=<milliseconds> or intent=reset." }, { status: 400 });
  if (parsed.data.intent === "advance") advanceClock(parsed.data.ms);
  else resetClock();
  return Response.json({ now: now().toISOString() });
}

// A separate process that makes top-ups on request, for the cross-process integration test: it reads one JSON request
// per line on stdin ({ customerId, fundingSourceId, amount }) and answers one JSON line per request on stdout
// ({ outcome: "ACCEPTED" | <error code>, balance? }). It stays alive between requests, so a refusal it reports after
// the parent engaged a switch proves there is no per-process cache to wait for.
//   DATABASE_URL=postgresql://… tsx scripts/bench/lib/kill-switch-top-up-child.ts
import { createInterface } from "node:readline";

if (!process.env.DATABASE_URL) {
  console.error("kill-switch-top-up-child: DATABASE_URL must point at the shared PostgreSQL database");
  process.exit(2);
}

const { topUp } = await import("~/wallet/top-up.server");
const { DomainError } = await import("~/lib/domain-error");
const { database } = await import("~/db.server");

function reply(value: unknown) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

reply({ ready: true, pid: process.pid });
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line) as { customerId: string; fundingSourceId: string; amount: number };
  try {
    const result = await topUp(request);
    reply({ outcome: "ACCEPTED", balance: result.balance });
  } catch (error) {
    if (error instanceof DomainError) reply({ outcome: error.code, message: error.message });
    else reply({ outcome: "UNEXPECTED", message: error instanceof Error ? error.message : String(error) });
  }
}
await database.close();

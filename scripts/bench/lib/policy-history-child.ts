// One measurement for scripts/bench/policy-history.ts, in a process of its own (before ADR 102 the figures were
// computed once per process): what the /policies page's loader waits for on a process's first visit.
import { ordinaryHistory } from "~/detect/policy-history.server";

const cpu = process.cpuUsage();
const started = performance.now();
const { weeks, firings } = await ordinaryHistory();
const wallMs = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(
  JSON.stringify({ cpuMs: (used.user + used.system) / 1000, wallMs, figures: JSON.stringify({ weeks, firings }) }),
);

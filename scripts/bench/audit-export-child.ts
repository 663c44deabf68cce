// Run by scripts/bench/audit.ts in a process of its own, so that the memory measured is the export's and nothing else's:
// opens the database, settles, then streams the whole trail through the export stream the download routes use and
// reports resident memory at the start, at each tenth of the export, and at its peak (JSON on stdout).
import { streamAuditExport, type ExportFormat } from "~/audit/audit-export.server";
import { openDatabaseAt } from "~/db/open-database.server";

const [url, format, through] = process.argv.slice(2) as [string, ExportFormat, string];
const SAMPLE_MS = 10;
const gc = (globalThis as { gc?: () => void }).gc;

const db = await openDatabaseAt({ url }, { migrate: false });
await db.sql.query("SELECT 1");
gc?.();
const rssStart = process.memoryUsage().rss;
let peak = rssStart;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, SAMPLE_MS);
const totalRows = Number(through);
const stream = streamAuditExport(db.sql, {
  format,
  filter: {},
  throughSeq: BigInt(through),
  exportedBy: { actorId: "bench", role: "COMPLIANCE" },
  exportedAt: new Date(),
});
const reader = stream.getReader();
const started = performance.now();
let bytes = 0;
let lines = 0;
let nextTenth = 1;
const atTenths: number[] = [];
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
  for (const byte of value) if (byte === 10) lines += 1;
  const rss = process.memoryUsage().rss;
  peak = Math.max(peak, rss);
  while (lines >= (totalRows * nextTenth) / 10 && nextTenth <= 10) {
    atTenths.push(rss);
    nextTenth += 1;
  }
}
const ms = performance.now() - started;
clearInterval(sampler);
await db.close();
console.log(JSON.stringify({ ms, bytes, rssStart, peak, atTenths }));

// `npx tsx scripts/bench/search.ts [--database firebreak_search_bench_1m] [--requests 40] [--build] [--customers N]`
//
// The caller search at scale, on the real PostgreSQL: p50 / p95 of the search endpoint over HTTP (the express
// perimeter, the session check, the Remix loader, the search and its audit row) against the same SQL run directly on
// one pg connection, as a ratio. Goal: p95 ≤ 50 ms over HTTP, and ≤ 1.5× the direct query.
//
// The database is a scratch one seeded with the 7pay replay (1,000,000 customers ≈ 10,000,000 events):
//   createdb -h 127.0.0.1 -U postgres firebreak_search_bench_1m
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/firebreak_search_bench_1m npm run seed -- --customers 1000000
// or pass --build to do both here (minutes). It is kept afterwards: drop it with dropdb when done.
// Run `npx remix build` first: the server under test is build/index.js, served in this process.
//
// Queries are drawn from the data (random customers, devices and sign-in addresses) and typed the way callers give
// them: "+81 90 1234 5678", "090-1234-5678", an upper-cased email, the display ID, a full name in kanji or hiragana, a
// family name alone, a name with a birth year, a device fingerprint, an IP. Requests are sequential (latency, not
// throughput); each HTTP request is paired with the direct run of the same statements, alternating which goes first.
// Environment: FIREBREAK_BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres).
import { parseArgs } from "node:util";
import pg from "pg";

const { values: args } = parseArgs({
  options: {
    database: { type: "string", default: "firebreak_search_bench_1m" },
    requests: { type: "string", default: "40" },
    build: { type: "boolean", default: false },
    customers: { type: "string", default: "1000000" },
  },
});
const ADMIN_URL = process.env.FIREBREAK_BENCH_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const PER_KIND = Number(args.requests);
const WARMUP_PER_KIND = 5;
const GOAL_P95_MS = 50;
const GOAL_RATIO = 1.5;

if (!/^[a-z0-9_]+$/.test(args.database)) throw new Error("--database: lower-case letters, digits and _ only");
const databaseUrl = new URL(ADMIN_URL);
databaseUrl.pathname = `/${args.database}`;

async function ensureDatabase(): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [args.database]);
    if (rows.length === 0) {
      if (!args.build)
        throw new Error(`no database ${args.database}: create and seed it (see the header) or pass --build`);
      await admin.query(`CREATE DATABASE ${args.database}`);
    }
  } finally {
    await admin.end();
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

const toHiragana = (value: string) =>
  [...value].map((c) => (c >= "ァ" && c <= "ヶ" ? String.fromCharCode(c.charCodeAt(0) - 0x60) : c)).join("");

interface Sample {
  phone: string;
  email: string;
  display_id: string;
  name: string;
  name_kana: string;
  birth_year: number;
  fingerprint: string | null;
}

async function main() {
  await ensureDatabase();
  // Importing ~/db.server opens (and migrates) the database named by DATABASE_URL: set it first.
  process.env.DATABASE_URL = databaseUrl.toString();
  const { database } = await import("~/db.server");
  const { parseSearchQuery } = await import("~/accounts/search-query.server");
  const { searchStatements } = await import("~/accounts/search.server");
  const { startHttpApp } = await import("../../tests/support/http-app");
  const { createStaff, signIn } = await import("../../tests/support/staff");

  const { rows: counts } = await database.sql.query<{ customers: string; events: string }>(
    `SELECT (SELECT count(*) FROM customer)::text AS customers,
            ((SELECT count(*) FROM login_event) + (SELECT count(*) FROM ledger_transaction)
              + (SELECT count(*) FROM contact_change))::text AS events`,
  );
  if (Number(counts[0]!.customers) === 0) {
    if (!args.build) throw new Error(`${args.database} is empty: seed it (see the header) or pass --build`);
    const { seedDatabase } = await import("~/incidents/replay/seed.server");
    console.log(`Seeding ${Number(args.customers).toLocaleString("en-US")} customers into ${args.database}…`);
    await seedDatabase(database, { customers: Number(args.customers) });
    return main();
  }
  console.log(
    `Database ${args.database}: ${Number(counts[0]!.customers).toLocaleString("en-US")} customers, ` +
      `${Number(counts[0]!.events).toLocaleString("en-US")} events (sign-ins, money movements, contact changes).`,
  );
  await database.sql.exec("ANALYZE customer, device, login_event");

  // Queries from the data itself.
  const { rows: samples } = await database.sql.query<Sample>(
    `SELECT c.phone, c.email, c.display_id, c.name, c.name_kana, extract(year FROM c.birth_date)::int AS birth_year,
            (SELECT d.fingerprint FROM device d WHERE d.customer_id = c.id LIMIT 1) AS fingerprint
       FROM customer c TABLESAMPLE SYSTEM (1) LIMIT 400`,
  );
  const { rows: ips } = await database.sql.query<{ ip: string }>(
    `SELECT ip FROM login_event TABLESAMPLE SYSTEM (0.1) LIMIT 400`,
  );
  const pick = <T>(list: T[], k: number) => list[k % list.length]!;
  const kinds: Record<string, (k: number) => string> = {
    "phone +81 spaced": (k) => {
      const p = pick(samples, k).phone;
      return `+81 ${p.slice(3, 5)} ${p.slice(5, 9)} ${p.slice(9)}`;
    },
    "phone 090-…": (k) => {
      const p = pick(samples, k).phone;
      return `0${p.slice(3, 5)}-${p.slice(5, 9)}-${p.slice(9)}`;
    },
    "email (upper case)": (k) => pick(samples, k).email.toUpperCase(),
    "display ID": (k) => pick(samples, k).display_id,
    "full name, kanji": (k) => pick(samples, k).name,
    "full name, hiragana": (k) => toHiragana(pick(samples, k).name_kana),
    "family name only": (k) => pick(samples, k).name.split(" ")[0]!,
    "name + birth year": (k) => `${pick(samples, k).name} ${pick(samples, k).birth_year}`,
    "device fingerprint": (k) =>
      pick(
        samples.filter((s) => s.fingerprint),
        k,
      ).fingerprint!,
    "IP address": (k) => pick(ips, k).ip,
  };

  const direct = new pg.Client({ connectionString: databaseUrl.toString() });
  await direct.connect();
  /** The statements the endpoint runs for this query, run directly: the precise one, and the fuzzy one if it would. */
  async function runDirect(query: string): Promise<number> {
    const parsed = parseSearchQuery(query);
    if (!parsed.ok) throw new Error(`bench query refused: ${query}`);
    const { precise, withFuzzy } = searchStatements(parsed.terms, 1);
    const started = performance.now();
    const first = precise ? await direct.query(precise.text, precise.values as unknown[]) : { rowCount: 0 };
    if ((first.rowCount ?? 0) === 0 && withFuzzy) await direct.query(withFuzzy.text, withFuzzy.values as unknown[]);
    return performance.now() - started;
  }

  const app = await startHttpApp({ mode: "production" });
  const agent = await signIn(app, await createStaff({ role: "AGENT", displayName: "Bench Agent" }));
  async function runHttp(query: string): Promise<number> {
    const url = `/accounts?${new URLSearchParams({ q: query, _data: "routes/accounts._index" })}`;
    const started = performance.now();
    const response = await agent.get(url);
    const body = (await response.json()) as { result?: { kind: string } };
    const ms = performance.now() - started;
    if (response.status !== 200 || body.result?.kind !== "results") {
      throw new Error(`HTTP ${response.status} for ${query}: ${JSON.stringify(body).slice(0, 200)}`);
    }
    return ms;
  }

  // The same work without HTTP and Remix: the session check and the domain call the loader makes (search, masking and
  // the audit row), in this process. Against it, the ratio shows what the web layer adds; against the bare SQL, what
  // the whole request adds (the goal).
  const { validateStaffSessionToken } = await import("~/auth/session.server");
  const { searchForCaller } = await import("~/accounts/caller-search.server");
  const sessionToken = [...agent.cookies].find(([name]) => name.endsWith("firebreak_session"))![1];
  async function runDomain(query: string): Promise<number> {
    const started = performance.now();
    const validated = await validateStaffSessionToken(sessionToken);
    if (!validated) throw new Error("the bench session is not valid");
    const ctx = {
      actor: { kind: "staff" as const, id: validated.staff.id, role: validated.staff.role },
      origin: { ip: "127.0.0.1", userAgent: "bench", requestId: null },
    };
    const result = await searchForCaller(ctx as Parameters<typeof searchForCaller>[0], query);
    if (result.kind !== "results") throw new Error(`domain search refused: ${query}`);
    return performance.now() - started;
  }

  const runners = { http: runHttp, direct: runDirect, domain: runDomain };
  type Measure = keyof typeof runners;
  const order: Measure[] = ["http", "direct", "domain"];
  const all: Record<Measure, number[]> = { http: [], direct: [], domain: [] };
  const p = (list: number[], q: number) => percentile(list, q).toFixed(1).padStart(6);
  const lines: string[] = [];
  for (const [kind, make] of Object.entries(kinds)) {
    for (let k = 0; k < WARMUP_PER_KIND; k++) for (const m of order) await runners[m](make(1000 + k));
    const times: Record<Measure, number[]> = { http: [], direct: [], domain: [] };
    for (let k = 0; k < PER_KIND; k++) {
      const query = make(k);
      // Rotate which goes first, so no measure always finds the caches warmed by another.
      for (let r = 0; r < order.length; r++) {
        const m = order[(k + r) % order.length]!;
        times[m].push(await runners[m](query));
      }
    }
    for (const m of order) {
      times[m].sort((a, b) => a - b);
      all[m].push(...times[m]);
    }
    lines.push(
      `${kind.padEnd(22)} HTTP p50 ${p(times.http, 50)} p95 ${p(times.http, 95)} ms` +
        `   direct SQL p50 ${p(times.direct, 50)} p95 ${p(times.direct, 95)} ms` +
        `   no HTTP p50 ${p(times.domain, 50)} p95 ${p(times.domain, 95)} ms` +
        `   ratio p95 ${(percentile(times.http, 95) / percentile(times.direct, 95)).toFixed(2)}`,
    );
  }
  for (const m of order) all[m].sort((a, b) => a - b);
  const [p95Http, p95Direct, p95Domain] = order.map((m) => percentile(all[m], 95)) as [number, number, number];
  const [p50Http, p50Direct, p50Domain] = order.map((m) => percentile(all[m], 50)) as [number, number, number];
  console.log(`\n${PER_KIND} requests per kind, sequential, after ${WARMUP_PER_KIND} warm-up requests each:\n`);
  console.log(lines.join("\n"));
  console.log(
    `\nALL (${all.http.length})`.padEnd(24) +
      `HTTP p50 ${p50Http.toFixed(1)} ms, p95 ${p95Http.toFixed(1)} ms · direct SQL p50 ${p50Direct.toFixed(1)} ms, ` +
      `p95 ${p95Direct.toFixed(1)} ms · ratio p50 ${(p50Http / p50Direct).toFixed(2)}, p95 ${(p95Http / p95Direct).toFixed(2)}`,
  );
  console.log(
    `${"".padEnd(23)}the same work without HTTP (session check, search, masking, audit row): p50 ` +
      `${p50Domain.toFixed(1)} ms, p95 ${p95Domain.toFixed(1)} ms · HTTP and Remix add ×${(p95Http / p95Domain).toFixed(2)} at p95`,
  );
  console.log(
    `Goal p95 ≤ ${GOAL_P95_MS} ms: ${p95Http <= GOAL_P95_MS ? "met" : "NOT met"}; ` +
      `goal ≤ ${GOAL_RATIO}× direct SQL at p95: ${p95Http / p95Direct <= GOAL_RATIO ? "met" : "NOT met"}.`,
  );
  await direct.end();
  await app.close();
  await database.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

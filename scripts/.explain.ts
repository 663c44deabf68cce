import pg from "pg";
import { parseSearchQuery } from "~/accounts/search-query.server";
import { searchStatements } from "~/accounts/search.server";
const client = new pg.Client({ connectionString: "postgresql://postgres@127.0.0.1:5432/firebreak_search_bench_1m" });
await client.connect();
const { rows } = await client.query(`SELECT name, extract(year from birth_date)::int AS y FROM customer WHERE display_id LIKE 'W-%' ORDER BY random() LIMIT 1`);
const q = process.argv[2] ?? `${rows[0].name} ${rows[0].y}`;
const parsed = parseSearchQuery(q);
if (!parsed.ok) throw new Error("refused");
const { precise, withFuzzy } = searchStatements(parsed.terms, 1);
for (const [label, st] of [["precise", precise], ["fuzzy", withFuzzy]] as const) {
  if (!st) continue;
  const t = performance.now();
  const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${st.text}`, st.values as unknown[]);
  console.log(`== ${label} ${q} ${(performance.now() - t).toFixed(1)} ms`);
  console.log(r.rows.map((x) => x["QUERY PLAN"]).filter((l: string) => /actual time=\d{2,}|Execution|Planning|Bitmap|Seq Scan|Index/.test(l)).slice(0, 40).join("\n"));
}
await client.end();

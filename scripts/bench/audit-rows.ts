// Synthetic, hash-chained audit rows for the benchmark, inserted in large batches. The chain is computed in process with
// the writer's own canonical form (app/audit/canonical.ts), so the verifier has real work to do and must agree.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { GENESIS_HASH, hashAuditRow, hashedJsonText, toAuditJson, type ChainedAuditFields } from "~/audit/canonical";
import { Rng } from "~/incidents/replay/rng";

const ACTIONS = [
  ["ledger.reverse", "ledger_transaction"],
  ["accounts.freeze", "customer"],
  ["accounts.view", "customer"],
  ["recovery.force-reset", "customer"],
  ["recovery.restore-contact", "customer"],
  ["notify.send", "customer"],
  ["killswitch.engage", "kill_switch"],
  ["staff.sign-in", "staff_user"],
  ["staff.sign-in.failed", "staff_user"],
  ["cases.update", "incident_case"],
] as const;
const ROLES = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN", "SYSTEM"] as const;
const REASONS = [
  "Fraudulent top-up during the 7pay incident",
  "Customer called: did not make this purchase",
  null,
  "Bulk reversal batch",
  '=HYPERLINK("http://evil.example")', // CSV-injection bait: exports must neutralise it
];

export interface BuiltChain {
  rows: number;
  headHash: string;
  /** Hash at every `checkpointEvery`-th row, for the benchmark's checkpoints. */
  hashesAt: Map<bigint, string>;
}

const INSERT = `INSERT INTO audit_event (seq, occurred_at, actor_id, actor_role, action, target_type, target_id,
    incident_id, outcome, reason, before, after, ip, user_agent, request_id, prev_hash, hash, before_text, after_text)
  SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::text[], $9::"AuditOutcome"[], $10::text[], $11::jsonb[], $12::jsonb[], $13::text[], $14::text[], $15::text[],
    $16::text[], $17::text[], $18::text[], $19::text[])`;

export async function insertSyntheticChain(
  client: pg.Client,
  options: { rows: number; batchSize?: number; checkpointEvery?: number; onProgress?: (rows: number) => void },
): Promise<BuiltChain> {
  // Seeded, so every run builds the same rows.
  const seeded = new Rng(7_2019);
  const random = () => seeded.float();
  const batchSize = options.batchSize ?? 10_000;
  const staff = Array.from({ length: 60 }, () => randomUUID());
  const customers = Array.from({ length: 20_000 }, () => randomUUID());
  const incidentId = randomUUID();
  let prevHash = GENESIS_HASH;
  let time = Date.parse("2019-07-01T00:00:00.000Z");
  const hashesAt = new Map<bigint, string>();

  for (let start = 1; start <= options.rows; start += batchSize) {
    const end = Math.min(options.rows, start + batchSize - 1);
    const columns: unknown[][] = Array.from({ length: 19 }, () => []);
    for (let seq = start; seq <= end; seq += 1) {
      time += Math.floor(random() * 2_000);
      const [action, targetType] = ACTIONS[Math.floor(random() * ACTIONS.length)]!;
      const role = ROLES[Math.floor(random() * ROLES.length)]!;
      const roll = random();
      const outcome = roll < 0.95 ? "SUCCESS" : roll < 0.98 ? "DENIED" : "FAILED";
      const before =
        random() < 0.6 ? { status: "ACTIVE", balance: Math.floor(random() * 50_000), flags: ["new"] } : null;
      const after =
        random() < 0.8 ? { status: "FROZEN", balance: 0, note: "リバーサル済み", at: new Date(time) } : null;
      const fields: ChainedAuditFields = {
        seq: BigInt(seq),
        occurredAt: new Date(time),
        actorId: role === "SYSTEM" ? "system:job-runner" : staff[Math.floor(random() * staff.length)]!,
        actorRole: role,
        action,
        targetType,
        targetId: customers[Math.floor(random() * customers.length)]!,
        incidentId: random() < 0.7 ? incidentId : null,
        outcome,
        reason: REASONS[Math.floor(random() * REASONS.length)]!,
        before: toAuditJson(before),
        after: toAuditJson(after),
        ip: `203.0.113.${Math.floor(random() * 255)}`,
        userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
        requestId: randomUUID(),
        prevHash,
      };
      const hash = hashAuditRow(fields);
      const values = [
        String(seq),
        new Date(time).toISOString(),
        fields.actorId,
        fields.actorRole,
        fields.action,
        fields.targetType,
        fields.targetId,
        fields.incidentId,
        fields.outcome,
        fields.reason,
        fields.before === null ? null : JSON.stringify(fields.before),
        fields.after === null ? null : JSON.stringify(fields.after),
        fields.ip,
        fields.userAgent,
        fields.requestId,
        prevHash,
        hash,
        hashedJsonText(fields.before),
        hashedJsonText(fields.after),
      ];
      values.forEach((value, i) => columns[i]!.push(value));
      prevHash = hash;
      if (options.checkpointEvery && seq % options.checkpointEvery === 0) hashesAt.set(BigInt(seq), hash);
    }
    await client.query(INSERT, columns);
    options.onProgress?.(end);
  }
  return { rows: options.rows, headHash: prevHash, hashesAt };
}

// The 7pay replay seed: the ground truth it writes is what the database holds, the ledger it loads obeys the
// double-entry rules, it is deterministic, and it refuses to seed over existing data unless told to reset.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkLedgerIntegrity, LedgerIntegrityError, trackCompanyBalances } from "~/incidents/replay/bulk-load.server";
import { createReplay, digestReplay, INCIDENT_CODE } from "~/incidents/replay/generator";
import type { GroundTruth } from "~/incidents/replay/replay-rows";
import { SHINJUKU_STORE_CODE } from "~/incidents/replay/reference-data";
import { seedDatabase, SeedRefusedError, type SeedResult } from "~/incidents/replay/seed.server";
import { openFreshDatabase, type FreshDatabase } from "../support/fresh-database";

const CUSTOMERS = 1200;
const SEED_TIMEOUT = 300_000;

async function rows<T>(db: FreshDatabase, text: string, params?: unknown[]): Promise<T[]> {
  return (await db.sql.query<T>(text, params)).rows;
}

async function scalar(db: FreshDatabase, text: string, params?: unknown[]): Promise<number> {
  const [row] = await rows<{ value: string | number | null }>(db, text, params);
  return Number(row?.value ?? 0);
}

describe("7pay replay seed", () => {
  let db: FreshDatabase;
  let seeded: SeedResult;
  let truth: GroundTruth;

  beforeAll(async () => {
    db = await openFreshDatabase();
    seeded = await seedDatabase(db, { customers: CUSTOMERS, chunkSize: 400 });
    truth = seeded.groundTruth;
  }, SEED_TIMEOUT);

  afterAll(async () => {
    await db?.dispose();
  });

  it("scales the incident to the customer count", () => {
    // 900 victims among 5,000 customers at the default scale → 216 among 1,200; ¥55,000,000 → ¥13,200,000.
    expect(seeded.config.victims).toBe(216);
    expect(truth.totals.victims).toBe(216);
    expect(truth.victims).toHaveLength(216);
    expect(truth.totals.fraudulentTopUpYen).toBe(13_200_000);
    expect(truth.totals.fraudulentPurchaseYen).toBeGreaterThan(0.8 * 13_200_000);
    expect(truth.totals.fraudulentPurchaseYen).toBeLessThanOrEqual(13_200_000);
    // ≈ ¥730,000 × 216/900 = ¥175,200 of e-cigarette cartridges at the Shinjuku store, to within one pack.
    expect(Math.abs(truth.totals.shinjukuEcigYen - 175_200)).toBeLessThan(500);
    expect(truth.totals.emailHijacked).toBe(Math.round(216 * 0.15));
    expect(seeded.rows.customer).toBe(CUSTOMERS);
  });

  it("records the incident and one open case per victim", async () => {
    const [incident] = await rows<{ id: string; status: string }>(
      db,
      `SELECT id, status::text AS status FROM incident WHERE code = $1`,
      [INCIDENT_CODE],
    );
    expect(incident).toEqual({ id: truth.incidentId, status: "OPEN" });
    const cases = await rows<{ customer_id: string; status: string }>(
      db,
      `SELECT customer_id, status::text AS status FROM incident_case WHERE incident_id = $1`,
      [truth.incidentId],
    );
    expect(new Set(cases.map((c) => c.customer_id))).toEqual(new Set(truth.victims.map((v) => v.customerId)));
    expect(cases.every((c) => c.status === "OPEN")).toBe(true);
  });

  it("has exactly the ground truth's victims signing in from attacker IPs and devices", async () => {
    const victimIds = new Set(truth.victims.map((v) => v.customerId));
    const byIp = await rows<{ customer_id: string }>(
      db,
      `SELECT DISTINCT customer_id FROM login_event WHERE success AND ip = ANY($1::text[])`,
      [truth.attackerIps],
    );
    expect(new Set(byIp.map((r) => r.customer_id))).toEqual(victimIds);
    const byDevice = await rows<{ customer_id: string }>(
      db,
      `SELECT DISTINCT customer_id FROM device WHERE fingerprint = ANY($1::text[])`,
      [truth.attackerDevices],
    );
    expect(new Set(byDevice.map((r) => r.customer_id))).toEqual(victimIds);
    // Every attacker sign-in is from abroad and the first one on each account is from a new device.
    const foreign = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM login_event WHERE ip = ANY($1::text[]) AND country = 'JP'`,
      [truth.attackerIps],
    );
    expect(foreign).toBe(0);
    const firstFromNewDevice = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM (
         SELECT DISTINCT ON (customer_id) customer_id, new_device FROM login_event
          WHERE success AND ip = ANY($1::text[]) ORDER BY customer_id, occurred_at) first
        WHERE new_device`,
      [truth.attackerIps],
    );
    expect(firstFromNewDevice).toBe(216);
    // Some devices and IPs are shared by dozens of victims (credential stuffing from a few rigs).
    const [busiest] = await rows<{ victims: string }>(
      db,
      `SELECT COUNT(DISTINCT customer_id)::text AS victims FROM device WHERE fingerprint = ANY($1::text[])
        GROUP BY fingerprint ORDER BY 1 DESC LIMIT 1`,
      [truth.attackerDevices],
    );
    expect(Number(busiest!.victims)).toBeGreaterThanOrEqual(8);
    // Failed stuffing attempts also hit customers who were not compromised.
    const untouched = await scalar(
      db,
      `SELECT COUNT(DISTINCT customer_id) AS value FROM login_event
        WHERE NOT success AND ip = ANY($1::text[]) AND NOT customer_id = ANY($2::uuid[])`,
      [truth.attackerIps, [...victimIds]],
    );
    expect(untouched).toBeGreaterThan(100);
  });

  it("holds the ground truth's fraudulent top-ups and purchases, and nothing else for victims in the window", async () => {
    const topUps = await rows<{ id: string; customer_id: string; amount: number; kind: string; channel: string }>(
      db,
      `SELECT id, customer_id, amount, kind::text AS kind, channel::text AS channel FROM ledger_transaction
        WHERE id = ANY($1::uuid[])`,
      [truth.fraudulentTopUps.map((t) => t.transactionId)],
    );
    expect(topUps).toHaveLength(truth.fraudulentTopUps.length);
    const topUpById = new Map(topUps.map((t) => [t.id, t]));
    for (const expected of truth.fraudulentTopUps) {
      expect(topUpById.get(expected.transactionId)).toMatchObject({
        customer_id: expected.customerId,
        amount: expected.amount,
        kind: "TOP_UP",
        channel: "CREDIT_CARD",
      });
    }
    // The console's "stolen" figure: victims' top-ups from the moment the incident was opened.
    const stolen = await scalar(
      db,
      `SELECT SUM(t.amount) AS value FROM ledger_transaction t
         JOIN incident_case c ON c.customer_id = t.customer_id
         JOIN incident i ON i.id = c.incident_id
        WHERE i.code = $1 AND t.kind = 'TOP_UP' AND t.occurred_at >= i.opened_at`,
      [INCIDENT_CODE],
    );
    expect(stolen).toBe(truth.totals.fraudulentTopUpYen);

    const purchases = await rows<{ transaction_id: string; customer_id: string; total: number; code: string }>(
      db,
      `SELECT p.transaction_id, p.customer_id, p.total, s.code FROM purchase p JOIN store s ON s.id = p.store_id
        WHERE p.transaction_id = ANY($1::uuid[])`,
      [truth.fraudulentPurchases.map((p) => p.transactionId)],
    );
    expect(purchases).toHaveLength(truth.fraudulentPurchases.length);
    const purchaseByTx = new Map(purchases.map((p) => [p.transaction_id, p]));
    for (const expected of truth.fraudulentPurchases) {
      expect(purchaseByTx.get(expected.transactionId)).toMatchObject({
        customer_id: expected.customerId,
        total: expected.amount,
        code: expected.storeCode,
      });
    }
    const resellable = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id
         JOIN product_category c ON c.code = i.category_code
        WHERE p.transaction_id = ANY($1::uuid[]) AND NOT c.resellable`,
      [truth.fraudulentPurchases.map((p) => p.transactionId)],
    );
    expect(resellable).toBe(0);
    const shinjukuEcig = await scalar(
      db,
      `SELECT SUM(i.quantity * i.unit_price) AS value FROM purchase_item i JOIN purchase p ON p.id = i.purchase_id
         JOIN store s ON s.id = p.store_id
        WHERE s.code = $1 AND i.category_code = 'ECIG_CARTRIDGE' AND p.transaction_id = ANY($2::uuid[])`,
      [SHINJUKU_STORE_CODE, truth.fraudulentPurchases.map((p) => p.transactionId)],
    );
    expect(shinjukuEcig).toBe(truth.totals.shinjukuEcigYen);
  });

  it("records the attacker's email changes with their origin", async () => {
    const changes = await rows<{
      customer_id: string;
      old_value: string;
      new_value: string;
      source: string;
      ip: string;
      device_id: string | null;
      old_value_verified: boolean;
      email: string;
    }>(
      db,
      `SELECT cc.customer_id, cc.old_value, cc.new_value, cc.source, cc.ip, cc.device_id, cc.old_value_verified, c.email
         FROM contact_change cc JOIN customer c ON c.id = cc.customer_id WHERE cc.field = 'EMAIL'`,
    );
    expect(new Set(changes.map((c) => c.customer_id))).toEqual(new Set(truth.emailHijacked));
    for (const change of changes) {
      expect(change).toMatchObject({ source: "APP", old_value_verified: true, email: change.new_value });
      expect(truth.attackerIps).toContain(change.ip);
      expect(change.device_id).not.toBeNull();
      expect(change.old_value).not.toBe(change.new_value);
    }
    // The change happens after the attacker signs in and before the first fraudulent top-up.
    const outOfOrder = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM contact_change cc
        WHERE cc.changed_at >= (SELECT MIN(t.occurred_at) FROM ledger_transaction t
                                 WHERE t.customer_id = cc.customer_id AND t.id = ANY($1::uuid[]))
           OR cc.changed_at <= (SELECT MIN(l.occurred_at) FROM login_event l
                                 WHERE l.customer_id = cc.customer_id AND l.success AND l.ip = ANY($2::text[]))`,
      [truth.fraudulentTopUps.map((t) => t.transactionId), truth.attackerIps],
    );
    expect(outOfOrder).toBe(0);
  });

  it("loads a ledger that obeys double entry", async () => {
    expect(await checkLedgerIntegrity(db.sql)).toEqual({
      unbalancedTransactions: 0,
      orphanEntries: 0,
      entriesOnMissingAccounts: 0,
      balanceMismatches: 0,
      negativeWallets: 0,
    });
    // The check sees a wrong cached balance and an unbalanced transaction (made here, then rolled back).
    const rollback = new Error("roll back");
    const broken = db.sqlTransaction(async (tx) => {
      await tx.query("SET LOCAL session_replication_role = replica");
      await tx.query(
        `UPDATE ledger_account SET balance = balance + 1
          WHERE id = (SELECT id FROM ledger_account WHERE kind = 'CUSTOMER_WALLET' ORDER BY id LIMIT 1)`,
      );
      await tx.query(
        `INSERT INTO ledger_entry (transaction_id, account_id, amount)
         SELECT t.id, (SELECT id FROM ledger_account WHERE code = 'clearing:BANK'), 1
           FROM ledger_transaction t ORDER BY t.id LIMIT 1`,
      );
      const seen = await checkLedgerIntegrity(tx);
      expect(seen.balanceMismatches).toBe(2); // the wallet, and clearing:BANK now off by the stray entry
      expect(seen.unbalancedTransactions).toBe(1);
      throw rollback;
    });
    await expect(broken).rejects.toBe(rollback);
    // The same rules, asked independently of the loader's own check.
    const unbalanced = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM ledger_transaction t
        WHERE (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entry e WHERE e.transaction_id = t.id) <> 0
           OR (SELECT COUNT(*) FROM ledger_entry e WHERE e.transaction_id = t.id) < 2`,
    );
    expect(unbalanced).toBe(0);
    const mismatched = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM ledger_account a
        WHERE a.balance <> (SELECT COALESCE(SUM(e.amount), 0) FROM ledger_entry e WHERE e.account_id = a.id)`,
    );
    expect(mismatched).toBe(0);
    // Never negative at any moment, not just at the end: running balance per wallet in time order.
    const dipped = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM (
         SELECT SUM(e.amount) OVER (PARTITION BY e.account_id ORDER BY t.occurred_at, t.kind, e.id) AS running
           FROM ledger_entry e JOIN ledger_transaction t ON t.id = e.transaction_id
           JOIN ledger_account a ON a.id = e.account_id WHERE a.kind = 'CUSTOMER_WALLET') r
        WHERE running < 0`,
    );
    expect(dipped).toBe(0);
    const walletsWithMoney = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM ledger_account WHERE kind = 'CUSTOMER_WALLET' AND balance > 0`,
    );
    expect(walletsWithMoney).toBeGreaterThan(CUSTOMERS / 2);
    // Purchases agree with their transaction and their items.
    const badPurchases = await scalar(
      db,
      `SELECT COUNT(*) AS value FROM purchase p JOIN ledger_transaction t ON t.id = p.transaction_id
        WHERE t.kind <> 'PURCHASE' OR t.amount <> p.total OR t.customer_id <> p.customer_id
           OR p.total <> (SELECT SUM(i.quantity * i.unit_price) FROM purchase_item i WHERE i.purchase_id = p.id)`,
    );
    expect(badPurchases).toBe(0);
  });

  it("looks like a real customer base, with noise for the signals", async () => {
    const customers = await rows<{ display_id: string; name: string; name_kana: string; email: string; phone: string }>(
      db,
      `SELECT display_id, name, name_kana, email, phone FROM customer`,
    );
    expect(new Set(customers.map((c) => c.display_id)).size).toBe(CUSTOMERS);
    for (const c of customers) {
      expect(c.display_id).toMatch(/^W-\d{8}$/);
      expect(c.phone).toMatch(/^\+81[789]0\d{8}$/);
      expect(c.email).toBe(c.email.toLowerCase());
      expect(c.name).toMatch(/^\p{Script=Han}+ [\p{Script=Han}\p{Script=Hiragana}]+$/u);
      expect(c.name_kana).toMatch(/^\p{Script=Katakana}+ [\p{Script=Katakana}ー]+$/u);
    }
    // Namesakes: the commonest family names are shared by dozens of customers.
    const tanaka = customers.filter((c) => c.name.startsWith("田中 ")).length;
    const sato = customers.filter((c) => c.name.startsWith("佐藤 ")).length;
    expect(tanaka).toBeGreaterThan(20);
    expect(sato).toBeGreaterThan(20);
    // Ordinary customers also sign in from abroad (travel) and from new phones (upgrades).
    const victimIds = truth.victims.map((v) => v.customerId);
    const travellers = await scalar(
      db,
      `SELECT COUNT(DISTINCT customer_id) AS value FROM login_event
        WHERE success AND country <> 'JP' AND NOT customer_id = ANY($1::uuid[])`,
      [victimIds],
    );
    expect(travellers).toBeGreaterThan(5);
    const upgrades = await scalar(
      db,
      `SELECT COUNT(DISTINCT customer_id) AS value FROM login_event
        WHERE success AND new_device AND NOT customer_id = ANY($1::uuid[])`,
      [victimIds],
    );
    expect(upgrades).toBeGreaterThan(20);
    // Most ordinary purchases are not resellable goods.
    const resellableShare = await scalar(
      db,
      `SELECT AVG(CASE WHEN c.resellable THEN 1.0 ELSE 0 END) AS value FROM purchase_item i
         JOIN purchase p ON p.id = i.purchase_id JOIN product_category c ON c.code = i.category_code
        WHERE NOT p.customer_id = ANY($1::uuid[])`,
      [victimIds],
    );
    expect(resellableShare).toBeLessThan(0.15);
  });

  it("leaves every loaded name findable by a one-edit typo, and the variants' trigger on for later customers", async () => {
    // The loader writes the caller search's one-edit look-up table in one statement after the load instead of through
    // its trigger per batch: the table must hold what the trigger would have written, and the trigger be back on.
    const expected = `SELECT v AS variant, k AS key
                        FROM (SELECT name_key AS k FROM customer UNION SELECT kana_key FROM customer
                              UNION SELECT family_name_key FROM customer UNION SELECT family_kana_key FROM customer) keys
                             CROSS JOIN LATERAL firebreak_name_variants(k) AS v
                       WHERE k IS NOT NULL`;
    const actual = `SELECT variant, key FROM search_name_variant`;
    expect(await scalar(db, `SELECT COUNT(*) AS value FROM (${actual}) a`)).toBeGreaterThan(CUSTOMERS);
    expect(await scalar(db, `SELECT COUNT(*) AS value FROM (${expected} EXCEPT ${actual}) missing`)).toBe(0);
    expect(await scalar(db, `SELECT COUNT(*) AS value FROM (${actual} EXCEPT ${expected}) extra`)).toBe(0);
    const triggers = await rows<{ name: string; enabled: string }>(
      db,
      `SELECT tgname AS name, tgenabled AS enabled FROM pg_trigger
        WHERE tgrelid = 'customer'::regclass AND tgname LIKE 'customer_name_variants_%' ORDER BY tgname`,
    );
    // "A": fires always, replica mode included (the migration's setting).
    expect(triggers).toEqual([
      { name: "customer_name_variants_insert", enabled: "A" },
      { name: "customer_name_variants_update", enabled: "A" },
    ]);
  });

  it("is deterministic: the same seed gives the same rows and ground truth, another seed does not", () => {
    const first = digestReplay({ customers: 300 }, 100);
    const second = digestReplay({ customers: 300 }, 77); // chunking must not matter either
    expect(second.tables).toEqual(first.tables);
    expect(second.groundTruth).toEqual(first.groundTruth);
    const other = digestReplay({ customers: 300, seed: 7 }, 100);
    expect(other.tables.customer).not.toBe(first.tables.customer);
    expect(other.groundTruth.incidentId).not.toBe(first.groundTruth.incidentId);

    // The database's ground truth is exactly what the generator produces in memory.
    const replay = createReplay({ customers: CUSTOMERS });
    for (const chunk of replay.chunks(1000)) void chunk;
    expect(replay.groundTruth()).toEqual(truth);
  });

  it("refuses to seed a database that holds data, and changes nothing", async () => {
    await expect(seedDatabase(db, { customers: 10 })).rejects.toBeInstanceOf(SeedRefusedError);
    expect(await scalar(db, `SELECT COUNT(*) AS value FROM customer`)).toBe(CUSTOMERS);
  });

  it(
    "re-seeds after a reset: same data again, reference data and staff kept",
    async () => {
      const systemBefore = await rows<{ id: string; code: string }>(
        db,
        `SELECT id, code FROM ledger_account WHERE customer_id IS NULL AND code NOT LIKE 'merchant:%' ORDER BY code`,
      );
      await db.sql.query(
        `INSERT INTO staff_user (id, email, display_name, role) VALUES (gen_random_uuid(), $1, 'Replay reset test', 'AGENT')`,
        [`replay-reset-${Date.now()}@firebreak.test`],
      );
      const again = await seedDatabase(db, { customers: CUSTOMERS, reset: true, chunkSize: 700 });
      expect(again.groundTruth).toEqual(truth);
      expect(await scalar(db, `SELECT COUNT(*) AS value FROM customer`)).toBe(CUSTOMERS);
      expect(await scalar(db, `SELECT COUNT(*) AS value FROM incident`)).toBe(1);
      expect(
        await scalar(db, `SELECT COUNT(*) AS value FROM staff_user WHERE display_name = 'Replay reset test'`),
      ).toBe(1);
      expect(await scalar(db, `SELECT COUNT(*) AS value FROM product_category`)).toBe(9);
      const systemAfter = await rows<{ id: string; code: string }>(
        db,
        `SELECT id, code FROM ledger_account WHERE customer_id IS NULL AND code NOT LIKE 'merchant:%' ORDER BY code`,
      );
      expect(systemAfter).toEqual(systemBefore);
      expect(Object.values(await checkLedgerIntegrity(db.sql)).every((n) => n === 0)).toBe(true);
      // Both seeds are in the audit log, as the system actor.
      const audited = await scalar(
        db,
        `SELECT COUNT(*) AS value FROM audit_event WHERE action = 'replay.seed' AND actor_id = 'system:seed'`,
      );
      expect(audited).toBe(2);
    },
    SEED_TIMEOUT,
  );
});

describe("7pay replay seed with every trigger enforced", () => {
  it(
    "satisfies the database's own ledger triggers and foreign keys row by row",
    async () => {
      const db = await openFreshDatabase();
      try {
        const result = await seedDatabase(db, { customers: 250, enforceTriggers: true, chunkSize: 100 });
        expect(result.mode).toBe("triggers");
        expect(Object.values(await checkLedgerIntegrity(db.sql)).every((n) => n === 0)).toBe(true);
        // Same data as the bulk path would write.
        const replay = createReplay({ customers: 250 });
        for (const chunk of replay.chunks()) void chunk;
        expect(result.groundTruth).toEqual(replay.groundTruth());
      } finally {
        await db.dispose();
      }
    },
    SEED_TIMEOUT,
  );
});

describe("company balances during a bulk load", () => {
  it("stops at the first batch that would overflow the balance column, naming the account", () => {
    const replay = createReplay({ customers: 300 });
    const company = trackCompanyBalances(replay, 1_000_000);
    expect(() => {
      for (const chunk of replay.chunks(50)) company.add(chunk);
    }).toThrow(LedgerIntegrityError);
    const [account, total] = [...company.totals].find(([, yen]) => Math.abs(yen) > 1_000_000)!;
    expect(account).toBe(replay.clearingAccountIds.CREDIT_CARD);
    expect(total).toBeLessThan(-1_000_000);
  });

  it("sums exactly the entries on clearing and merchant accounts", () => {
    const replay = createReplay({ customers: 300 });
    const company = trackCompanyBalances(replay, Number.POSITIVE_INFINITY);
    let clearing = 0;
    let merchant = 0;
    for (const chunk of replay.chunks(64)) {
      company.add(chunk);
      const [, accounts, amounts] = chunk.ledger_entry_in.columns as [unknown[], string[], number[]];
      accounts.forEach((a, i) => (clearing += Object.values(replay.clearingAccountIds).includes(a) ? amounts[i]! : 0));
      const [, outAccounts, outAmounts] = chunk.ledger_entry_out.columns as [unknown[], string[], number[]];
      const merchants = new Set(replay.stores.map((s) => s.merchantAccountId));
      outAccounts.forEach((a, i) => (merchant += merchants.has(a) ? outAmounts[i]! : 0));
    }
    const totals = [...company.totals.values()];
    expect(totals.filter((t) => t < 0).reduce((a, b) => a + b, 0)).toBe(clearing);
    expect(totals.filter((t) => t > 0).reduce((a, b) => a + b, 0)).toBe(merchant);
  });
});

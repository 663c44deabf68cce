// A top-up on a database that is slow rather than down (docs/decisions/085-reliability-round-four.md): a stalled disk
// makes the top-up's ledger write take twenty seconds. The top-up must decide within its own bounds (a 5 s wait for a
// connection, a 10 s transaction), refused with nothing moved, not after the console's 30 s statement timeout. Proven
// by the order of events: the stall is ended (the sleeping statement cancelled) only once the top-up has settled, or
// far past its bounds; a top-up that waited for the stall settles after that. It is answered WALLET_UNAVAILABLE (503):
// nothing moved, try again.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/db.server";
import { WalletUnavailableRefusal } from "~/wallet/errors";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";
import { topUp } from "~/wallet/top-up.server";
import { createTestCustomer } from "../support/customers";
import { settleBeforeLetGo } from "../support/order-of-events";
import { balanceOf } from "../support/risk-rules";

const onPostgres = process.env.FIREBREAK_TEST_DB === "postgresql";
// The amount whose ledger entries stall: no other top-up of this file's database is slowed.
const STALLED_AMOUNT = 7_777;
const STALL_SECONDS = 20;
// Past both of the top-up's bounds, and well short of the console's 30 s statement timeout, which would end the stall
// by itself.
const LET_GO_AFTER_MS = 25_000;

describe.skipIf(!onPostgres)("a top-up whose ledger write stalls (PostgreSQL)", () => {
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE FUNCTION test_stalled_disk() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF abs(NEW.amount) = ${STALLED_AMOUNT} THEN PERFORM pg_sleep(${STALL_SECONDS}); END IF;
        RETURN NEW;
      END $$`);
    await admin.query(
      "CREATE TRIGGER test_stalled_disk BEFORE INSERT ON ledger_entry FOR EACH ROW EXECUTE FUNCTION test_stalled_disk()",
    );
  });
  afterAll(async () => {
    await admin.query("DROP TRIGGER IF EXISTS test_stalled_disk ON ledger_entry");
    await admin.query("DROP FUNCTION IF EXISTS test_stalled_disk()");
    await admin.end();
  });

  it("is refused within its own bounds, moving nothing, and the next top-up goes through", async () => {
    expect(LET_GO_AFTER_MS).toBeGreaterThan(WALLET_TRANSACTION_OPTIONS.maxWait + WALLET_TRANSACTION_OPTIONS.timeout);
    const { customer, card } = await createTestCustomer(prisma);
    const { settledBeforeLetGo, outcome } = await settleBeforeLetGo(
      topUp({ customerId: customer.id, fundingSourceId: card.id, amount: STALLED_AMOUNT }),
      () =>
        admin.query(
          "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%ledger_entry%' AND pid <> pg_backend_pid()",
        ),
      LET_GO_AFTER_MS,
    );
    expect(outcome.status).toBe("rejected");
    // Refused after the switches and the risk rules had decided: the connection that stopped answering was closed
    // (a database-not-answering error in the log), and the customer's app is told nothing moved (ADR 120).
    const reason = (outcome as PromiseRejectedResult).reason as unknown;
    expect(reason).toBeInstanceOf(WalletUnavailableRefusal);
    expect(reason).toMatchObject({ code: "WALLET_UNAVAILABLE", status: 503 });
    expect(settledBeforeLetGo).toBe(true);
    expect(await balanceOf(customer.id)).toBe(0);
    await topUp({ customerId: customer.id, fundingSourceId: card.id, amount: 1_000 });
    expect(await balanceOf(customer.id)).toBe(1_000);
  }, 60_000);
});

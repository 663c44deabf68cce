// A database server that accepts the connection and then never answers (a frozen host, a proxy in front of a server it
// cannot reach): a customer's top-up is refused within its bound, as "checks unavailable", instead of hanging; and
// start-up fails with a connection error, which its wait for the database retries (db.server.ts), instead of hanging
// before it ever retries.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECT_TIMEOUT_MS, openDatabaseAt, type Database } from "~/db/open-database.server";
import { isConnectionLoss } from "~/db/transient-errors";
import { topUp } from "~/wallet/top-up.server";
import { WALLET_TRANSACTION_OPTIONS } from "~/wallet/transaction-runner.server";
import { codeOf } from "../support/domain-code";

let server: net.Server;
const sockets: net.Socket[] = [];
let silentUrl: string;

beforeAll(async () => {
  server = net.createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  silentUrl = `postgresql://firebreak@127.0.0.1:${(server.address() as net.AddressInfo).port}/firebreak`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work;
  return { value, ms: Date.now() - started };
}

describe("a database that accepts connections and never answers", () => {
  it("a top-up is refused as switches unavailable within its bound, not left hanging", async () => {
    const db: Database = await openDatabaseAt({ url: silentUrl }, { migrate: false });
    try {
      const customerId = "00000000-0000-4000-8000-000000000001";
      const { value, ms } = await timed(
        codeOf(topUp({ customerId, fundingSourceId: customerId, amount: 1000 }, { db: db.prisma })),
      );
      expect(value).toBe("TOPUP_SWITCH_STATE_UNAVAILABLE");
      expect(ms).toBeLessThan(WALLET_TRANSACTION_OPTIONS.maxWait + WALLET_TRANSACTION_OPTIONS.timeout);
    } finally {
      void db.close().catch(() => undefined);
    }
  }, 60_000);

  it("start-up fails with a connection error its wait retries, after the connect timeout, not never", async () => {
    const { value: error, ms } = await timed(
      openDatabaseAt({ url: silentUrl }).then(
        (db) => {
          void db.close();
          return null;
        },
        (e: unknown) => e,
      ),
    );
    expect(error).not.toBeNull();
    expect(isConnectionLoss(error)).toBe(true);
    expect(ms).toBeLessThan(3 * CONNECT_TIMEOUT_MS);
  }, 60_000);
});

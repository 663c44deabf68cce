// A database server that accepts the connection and then never answers (a frozen host, a proxy in front of a server it
// cannot reach): a customer's top-up is refused within its bound, as "checks unavailable", instead of hanging; and
// start-up fails with a connection error, which its wait for the database retries (db.server.ts), instead of hanging
// before it ever retries.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONNECT_TIMEOUT_MS, openDatabaseAt, type Database } from "~/db/open-database.server";
import { isConnectionLoss } from "~/db/transient-errors";
import { topUp } from "~/wallet/top-up.server";
import { codeOf } from "../support/domain-code";
import { settleBeforeLetGo } from "../support/order-of-events";

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

// The silent server is let go (its sockets closed, which fails whatever still waits on them) only once the work has
// settled, or long past every bound under test: work that kept its bound settled first; work that had none settles
// only after the let-go, with the error the closed socket gave it.
const LET_GO_AFTER_MS = 8 * CONNECT_TIMEOUT_MS;
const letGo = () => {
  for (const socket of sockets.splice(0)) socket.destroy();
};

describe("a database that accepts connections and never answers", () => {
  it("a top-up is refused as switches unavailable while the server is still silent, not left hanging", async () => {
    const db: Database = await openDatabaseAt({ url: silentUrl }, { migrate: false });
    try {
      const customerId = "00000000-0000-4000-8000-000000000001";
      const { settledBeforeLetGo, outcome } = await settleBeforeLetGo(
        codeOf(topUp({ customerId, fundingSourceId: customerId, amount: 1000 }, { db: db.prisma })),
        letGo,
        LET_GO_AFTER_MS,
      );
      expect(outcome).toEqual({ status: "fulfilled", value: "TOPUP_SWITCH_STATE_UNAVAILABLE" });
      expect(settledBeforeLetGo).toBe(true);
    } finally {
      void db.close().catch(() => undefined);
    }
  }, 60_000);

  it("start-up fails with a connection error its wait retries while the server is still silent, not never", async () => {
    const { settledBeforeLetGo, outcome } = await settleBeforeLetGo(
      openDatabaseAt({ url: silentUrl }).then((db) => void db.close()),
      letGo,
      LET_GO_AFTER_MS,
    );
    expect(outcome.status).toBe("rejected");
    expect(isConnectionLoss((outcome as PromiseRejectedResult).reason)).toBe(true);
    expect(settledBeforeLetGo).toBe(true);
  }, 60_000);
});

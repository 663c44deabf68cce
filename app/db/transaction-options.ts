// The limits of an interactive Prisma transaction, one value for the whole console. Generous on purpose: on
// PostgreSQL, 50 concurrent actions against a pool of 10 connections must queue for a connection (maxWait), not fail;
// on the embedded database every transaction waits for the one connection. A customer's money movement keeps tighter
// limits of its own (app/wallet/transaction-runner.server.ts): it must not hold the switch rows it shares for long.
export const TRANSACTION_OPTIONS = { maxWait: 20_000, timeout: 60_000 } as const;

// A SqlRunner over a Prisma interactive transaction, so raw-SQL audit helpers (checkpoints) can run inside the spine's
// transaction. On PGlite nothing else may touch the database while that transaction is open (one connection).
import type { DbTx } from "~/db.server";
import type { SqlRunner } from "~/db/migrations.server";

export function sqlRunnerOf(tx: DbTx): SqlRunner {
  return {
    query: async <T>(text: string, params: unknown[] = []) => ({
      rows: (await tx.$queryRawUnsafe<T[]>(text, ...params)) as T[],
    }),
    exec: (text: string) => tx.$executeRawUnsafe(text),
  };
}

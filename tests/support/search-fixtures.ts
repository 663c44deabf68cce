// For tests of the caller search service (app/accounts/caller-search.server.ts) that must not depend on the replay
// seed: an agent's context, the results of a search that must not be refused, and a customer with exactly the name,
// reading and birth date a test needs (identifiers unique per call, so files sharing a database never collide).
import { randomUUID } from "node:crypto";
import type { Actor } from "~/audit/actor";
import type { CallerSearchResult } from "~/accounts/caller-search.server";
import { database, prisma } from "~/db.server";

export function agentSearchContext(ip: string) {
  const actor: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
  return { actor, origin: { ip, userAgent: "vitest", requestId: `req-${randomUUID()}` } };
}

/** The search's results; a refusal fails the test with the refusal's message. */
export function searchResults(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

const eightDigits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, "0");

/** A customer named `name` (reading `nameKana`) born on `birthDate` (YYYY-MM-DD); `tag` marks the test's rows. */
export function createNamedCustomer(tag: string, name: string, nameKana: string, birthDate: string) {
  return prisma.customer.create({
    data: {
      displayId: `W-${eightDigits()}`,
      name,
      nameKana,
      email: `${tag}-${randomUUID().slice(0, 8)}@${tag}.example`,
      phone: `+8170${eightDigits()}`,
      birthDate: new Date(birthDate),
    },
  });
}

/** The console's connection, counting the statements a search sends through it (a search's statement budget). */
export function countingStatements() {
  const counting = {
    statements: 0,
    query: ((...args: Parameters<typeof database.sql.query>) => {
      counting.statements += 1;
      return database.sql.query(...args);
    }) as typeof database.sql.query,
  };
  return counting;
}

// A driver-adapter factory for the Prisma CLI that runs both the "main" and the shadow database in memory (PGlite).
//
// Why not the stock PrismaPGlite factory: the schema engine sends a whole migration.sql through a parameterless
// executeRaw, and PGlite's query() accepts one statement only. We route parameterless raw SQL and scripts to exec().
// See ../shared/STACK.md, "Four defects of the 6.19 CLI path".
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPGlite } from "pglite-prisma-adapter";

type Adapter = Awaited<ReturnType<PrismaPGlite["connect"]>>;

function routeScriptsToExec(adapter: Adapter, db: PGlite): Adapter {
  const originalExecuteRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    if (query.args.length === 0) {
      await db.exec(query.sql);
      return 0;
    }
    return originalExecuteRaw(query);
  };
  adapter.executeScript = async (script) => {
    await db.exec(script);
  };
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await db.close();
  };
  return adapter;
}

async function connectInMemory(): Promise<Adapter> {
  // Migrations create the pg_trgm extension (20261128005000): the shadow database must be able to load it.
  const db = new PGlite({ extensions: { pg_trgm } });
  const adapter = await new PrismaPGlite(db).connect();
  return routeScriptsToExec(adapter, db);
}

export function createCliAdapterFactory() {
  const factory = new PrismaPGlite(new PGlite());
  return Object.assign(factory, {
    connect: connectInMemory,
    connectToShadowDb: connectInMemory,
  });
}

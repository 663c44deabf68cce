// Databases made and dropped on a PostgreSQL server through its admin connection. The suite's per-file copies and the
// benchmarks' scratch databases are the same few statements on different servers, so the server's admin URL is an
// argument rather than a setting read here.
import pg from "pg";

/** One admin connection for `fn`, closed afterwards whatever `fn` does. */
export async function onServer<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server `adminUrl` points at. */
export function databaseUrlOn(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new database `name`: a file-level copy of `template` when one is given, else empty. */
export async function createServerDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  await onServer(adminUrl, (client) =>
    client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`),
  );
}

/** Drops database `name`, whoever is still connected (a finished run's pools may linger). */
export async function dropServerDatabase(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Drops every database whose name starts with `prefix`: what one run made, whatever failed half-way. */
export async function dropServerDatabasesNamed(adminUrl: string, prefix: string): Promise<void> {
  await onServer(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
}

// The test file's own database (DATABASE_URL), through the server's admin connection (FIREBREAK_TEST_ADMIN_URL).
function testDatabaseOnServer(): { adminUrl: string; name: string } {
  return {
    adminUrl: process.env.FIREBREAK_TEST_ADMIN_URL!,
    name: new URL(process.env.DATABASE_URL!).pathname.slice(1),
  };
}

/** The test file's database goes away as a stopped server would: new connections refused, open ones ended. */
export async function takeTestDatabaseAway(): Promise<void> {
  const { adminUrl, name } = testDatabaseOnServer();
  await onServer(adminUrl, async (client) => {
    await client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
    await client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [name],
    );
  });
}

/** Lets connections to the test file's database in again. */
export async function bringTestDatabaseBack(): Promise<void> {
  const { adminUrl, name } = testDatabaseOnServer();
  await onServer(adminUrl, (client) => client.query(`ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
}

/**
 * Ends every other backend of the test file's database, as a failover or an administrator would, and says how many.
 * The database stays open: the next connection succeeds. Every backend is signalled at once (waiting for each in turn
 * would let a backend blocked on another's lock run on when that one ends first), and this returns only once all have
 * exited, so this process has been told before its next query: an idle pooled connection that still looked alive
 * would fail the test's own next read.
 */
export async function terminateTestDatabaseBackends(): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pids: number[] | null }>(
      `SELECT array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)) AS pids FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    const ended = rows[0]!.pids ?? [];
    for (let polls = 0; polls < 500; polls++) {
      const left = await client.query("SELECT 1 FROM pg_stat_activity WHERE pid = ANY($1::int[])", [ended]);
      if (left.rowCount === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return ended.length;
  } finally {
    await client.end();
  }
}

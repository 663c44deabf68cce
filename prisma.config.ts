// Configuration for the Prisma CLI only. The app never goes through this file: it picks its adapter in app/db.server.ts
// and applies migrations itself (docs/decisions/002-database-modes.md).
//
// The CLI here runs Prisma's WASM schema engine through a driver adapter, because the native engines cannot be
// downloaded on these machines. We only use the CLI to *compute* migration SQL (`npm run db:new-migration`), so it works
// against throw-away in-memory PGlite databases and never touches a real one.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { createCliAdapterFactory } from "./scripts/lib/prisma-cli-adapter";

// Prisma 6.19 insists on a syntactically valid URL even when an adapter is used; otherwise it tries to fetch an engine.
process.env.DATABASE_URL ??= "postgresql://placeholder@localhost:5432/placeholder";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => createCliAdapterFactory(),
});

// What the replay generator (generator.ts) produces, and what the loader (bulk-load.server.ts) reads: the options,
// the ground truth, and the rows of each table as column-oriented batches in the loader's insertion order.
import type { CategoryCode, StoreSpec } from "./reference-data";

type Ms = number;
type Id = string;

export type FundingKind = "CREDIT_CARD" | "BANK" | "CONVENIENCE_CASH";

export interface ReplayOptions {
  customers?: number;
  /** Default: 900 × customers / 5,000, at most 900 (the real incident), at least 1. */
  victims?: number;
  seed?: number | string;
  /** Ids of the migration-created clearing accounts (ledger_account codes clearing:*). Placeholders in memory. */
  clearingAccountIds?: Partial<Record<FundingKind, string>>;
}

export interface ReplayConfig {
  customers: number;
  victims: number;
  seed: number;
  fraudTopUpTargetYen: number;
  shinjukuEcigTargetYen: number;
}

export interface GroundTruth {
  generator: string;
  seed: number;
  customers: number;
  incidentId: string;
  incidentCode: string;
  window: { start: string; end: string };
  victims: { customerId: string; displayId: string }[];
  fraudulentTopUps: { transactionId: string; customerId: string; amount: number }[];
  fraudulentPurchases: { transactionId: string; customerId: string; storeCode: string; amount: number }[];
  totals: {
    fraudulentTopUpYen: number;
    fraudulentPurchaseYen: number;
    victims: number;
    shinjukuEcigYen: number;
    emailHijacked: number;
  };
  fraudByStore: { storeCode: string; purchases: number; yen: number; ecigYen: number }[];
  attackerDevices: string[];
  attackerIps: string[];
  emailHijacked: string[];
}

export const GENERATOR_VERSION = "7pay-replay/1";

/** One column-oriented batch of rows for one table (column order = REPLAY_TABLES[table].columns). */
export class RowBatch<Row extends unknown[]> {
  readonly columns: unknown[][];
  rows = 0;
  constructor(width: number) {
    this.columns = Array.from({ length: width }, () => []);
  }
  push(...values: Row): void {
    for (let k = 0; k < values.length; k++) this.columns[k]!.push(values[k]);
    this.rows += 1;
  }
}

/** Column types as the loader casts them: `ms` = epoch milliseconds → timestamptz; `enum:X` = text → "X". */
export type ColumnType = "uuid" | "text" | "int" | "bool" | "date" | "ms" | `enum:${string}`;

/** Tables in insertion (foreign-key) order. `ledger_entry_in`/`_out` both land in ledger_entry: credits to wallets
 *  first, so with triggers enabled no wallet is ever debited before the top-up that funds it. */
export const REPLAY_TABLES = {
  customer: {
    table: "customer",
    columns: [
      ["id", "uuid"],
      ["display_id", "text"],
      ["name", "text"],
      ["name_kana", "text"],
      ["email", "text"],
      ["phone", "text"],
      ["birth_date", "date"],
      ["preferred_language", "text"],
      ["created_at", "ms"],
    ],
  },
  device: {
    table: "device",
    columns: [
      ["id", "uuid"],
      ["customer_id", "uuid"],
      ["fingerprint", "text"],
      ["platform", "text"],
      ["model", "text"],
      ["first_seen_at", "ms"],
    ],
  },
  funding_source: {
    table: "funding_source",
    columns: [
      ["id", "uuid"],
      ["customer_id", "uuid"],
      ["kind", "enum:FundingKind"],
      ["brand", "text"],
      ["last4", "text"],
      ["added_at", "ms"],
    ],
  },
  ledger_account: {
    table: "ledger_account",
    columns: [
      ["id", "uuid"],
      ["code", "text"],
      ["kind", "enum:LedgerAccountKind"],
      ["customer_id", "uuid"],
      ["created_at", "ms"],
      // The wallet's balance after all its generated entries (the generator simulates it); 0 when triggers keep it.
      ["balance", "int"],
    ],
  },
  login_event: {
    table: "login_event",
    columns: [
      ["id", "uuid"],
      ["customer_id", "uuid"],
      ["device_id", "uuid"],
      ["ip", "text"],
      ["country", "text"],
      ["success", "bool"],
      ["new_device", "bool"],
      ["occurred_at", "ms"],
    ],
  },
  contact_change: {
    table: "contact_change",
    columns: [
      ["id", "uuid"],
      ["customer_id", "uuid"],
      ["field", "enum:ContactField"],
      ["old_value", "text"],
      ["new_value", "text"],
      ["changed_at", "ms"],
      ["source", "text"],
      ["ip", "text"],
      ["device_id", "uuid"],
      ["old_value_verified", "bool"],
    ],
  },
  ledger_transaction: {
    table: "ledger_transaction",
    columns: [
      ["id", "uuid"],
      ["kind", "enum:LedgerTransactionKind"],
      ["customer_id", "uuid"],
      ["amount", "int"],
      ["funding_source_id", "uuid"],
      ["channel", "enum:FundingKind"],
      ["occurred_at", "ms"],
      ["created_at", "ms"],
    ],
  },
  ledger_entry_in: {
    table: "ledger_entry",
    columns: [
      ["transaction_id", "uuid"],
      ["account_id", "uuid"],
      ["amount", "int"],
    ],
  },
  ledger_entry_out: {
    table: "ledger_entry",
    columns: [
      ["transaction_id", "uuid"],
      ["account_id", "uuid"],
      ["amount", "int"],
    ],
  },
  purchase: {
    table: "purchase",
    columns: [
      ["id", "uuid"],
      ["transaction_id", "uuid"],
      ["customer_id", "uuid"],
      ["store_id", "uuid"],
      ["total", "int"],
      ["occurred_at", "ms"],
    ],
  },
  purchase_item: {
    table: "purchase_item",
    columns: [
      ["id", "uuid"],
      ["purchase_id", "uuid"],
      ["category_code", "text"],
      ["description", "text"],
      ["quantity", "int"],
      ["unit_price", "int"],
    ],
  },
  incident_case: {
    table: "incident_case",
    columns: [
      ["id", "uuid"],
      ["incident_id", "uuid"],
      ["customer_id", "uuid"],
      ["status", "enum:CaseStatus"],
      ["opened_at", "ms"],
    ],
  },
} as const satisfies Record<string, { table: string; columns: readonly (readonly [string, ColumnType])[] }>;

export type ReplayTableName = keyof typeof REPLAY_TABLES;

export interface ReplayChunk {
  fromIndex: number;
  toIndex: number; // exclusive
  customer: RowBatch<[Id, string, string, string, string, string, string, string, Ms]>;
  device: RowBatch<[Id, Id, string, string, string, Ms]>;
  funding_source: RowBatch<[Id, Id, FundingKind, string, string | null, Ms]>;
  ledger_account: RowBatch<[Id, string, "CUSTOMER_WALLET", Id, Ms, number]>;
  login_event: RowBatch<[Id, Id, Id | null, string, string, boolean, boolean, Ms]>;
  contact_change: RowBatch<[Id, Id, "EMAIL" | "PHONE", string, string, Ms, string, string | null, Id | null, boolean]>;
  ledger_transaction: RowBatch<[Id, "TOP_UP" | "PURCHASE", Id, number, Id | null, FundingKind | null, Ms, Ms]>;
  ledger_entry_in: RowBatch<[Id, Id, number]>;
  ledger_entry_out: RowBatch<[Id, Id, number]>;
  purchase: RowBatch<[Id, Id, Id, Id, number, Ms]>;
  purchase_item: RowBatch<[Id, Id, CategoryCode, string, number, number]>;
  incident_case: RowBatch<[Id, Id, Id, "OPEN", Ms]>;
}

export interface StoreRow extends StoreSpec {
  id: string;
  merchantAccountId: string;
}

export interface IncidentRow {
  id: string;
  code: string;
  title: string;
  summary: string;
  status: "OPEN";
  openedAt: Ms;
}

// The environment, validated once at boot. A bad value stops start-up with one clear line (no stack trace).
import { z } from "zod";

const PostgresUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === "postgresql:" || url.protocol === "postgres:") && url.hostname.length > 0;
  } catch {
    return false;
  }
}, "must look like postgresql://user@host:5432/database");

const Flag = z.enum(["0", "1"], { message: 'must be "0" or "1"' }).default("0");
const YEN_MESSAGE = "must be a whole number of yen";
const Yen = z.coerce
  .number({ invalid_type_error: YEN_MESSAGE })
  .int(YEN_MESSAGE)
  .nonnegative(YEN_MESSAGE)
  .max(1_000_000_000, YEN_MESSAGE);

const EnvFields = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: PostgresUrl.optional(),
  // The schema owner's connection (docs/decisions/028-database-roles.md): migrations and the runtime grants run as it;
  // DATABASE_URL is then the runtime role that owns nothing.
  DATABASE_OWNER_URL: PostgresUrl.optional(),
  FIREBREAK_DATA_DIR: z.string().min(1).default("./data/pglite"),
  // 32 bytes, base64: encrypts staff TOTP secrets at rest. Development and tests get a fixed, clearly-labelled key
  // (app/auth/totp-key.server.ts); production refuses to boot without one (the refinement below).
  FIREBREAK_TOTP_KEY: z
    .string()
    .refine(
      (value) => /^[A-Za-z0-9+/]{43}=$/.test(value) && Buffer.from(value, "base64").length === 32,
      "must be 32 random bytes in base64 (generate one with: openssl rand -base64 32)",
    )
    .optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().positive().optional(),
  SMTP_SECURE: z.enum(["true", "false"]).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  MAIL_FROM: z.string().default("Firebreak Security <security@wallet.example>"),
  // The notification outbox worker (docs/decisions/008-notification-outbox.md): messages per second (0 = no limit)
  // and pooled SMTP connections (also the most messages a hard crash can leave "needs review").
  NOTIFY_SEND_RATE: z.coerce.number().min(0).max(10_000).default(50),
  NOTIFY_SMTP_CONNECTIONS: z.coerce.number().int().min(1).max(50).default(5),
  // The most one message's SMTP transaction may take, in milliseconds, trickled answers included (ADR 090); below the
  // worker's two-minute lease, so a message is settled by the worker that holds it and not by the lease sweep.
  NOTIFY_SEND_DEADLINE_MS: z.coerce.number().int().min(1_000).max(110_000).default(60_000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  // SMS for recovery codes (docs/decisions/016-recovery-proof-of-possession.md): all three select Twilio; none selects
  // the development sink outside production. Production without them cannot send codes by SMS (email still works).
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-f]{32}$/, "must be a Twilio account SID (AC followed by 32 hex digits)")
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(16, "must be the Twilio auth token").optional(),
  SMS_FROM: z
    .string()
    .regex(/^(\+[1-9]\d{6,14}|MG[0-9a-f]{32})$/, "must be an E.164 number or a Twilio messaging service SID")
    .optional(),
  // How many reverse proxies stand in front of the console. The client address is the one the outermost of them saw:
  // X-Forwarded-For read from the right, that many entries deep. Anything further left was written by the client.
  FIREBREAK_TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
  // Operations (docs/decisions/030-process-roles.md): what this process runs, who may scrape /metrics, how long a
  // process waits for the database at start-up and for its work to finish on SIGTERM.
  FIREBREAK_ROLE: z.enum(["web", "worker", "all"]).default("all"),
  FIREBREAK_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  FIREBREAK_DB_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  // Each statement's bounds on the server (docs/decisions/080-read-bounds.md); unset: 30 s and 10 s. 0 turns one off.
  FIREBREAK_DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  FIREBREAK_DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).optional(),
  // How long a customer's request waits for a connection of the customers' own pool before it is answered "busy, try
  // again in a moment" (docs/decisions/114-connection-budget-and-a-full-customers-pool.md).
  FIREBREAK_CUSTOMER_POOL_WAIT_MS: z.coerce.number().int().min(100).max(10_000).default(1_000),
  // The same for a customer's top-up, purchase or contact change on the payment path's own pool
  // (docs/decisions/120-a-full-payment-pool-answers-busy.md). At most 4 s: a money movement that has no connection
  // after 5 s is refused as its checks' state unknown (WALLET_TRANSACTION_OPTIONS.maxWait), and a full pool must be
  // answered busy before that.
  FIREBREAK_WALLET_POOL_WAIT_MS: z.coerce.number().int().min(100).max(4_000).default(1_000),
  // How many web processes share the console's port (docs/decisions/042-several-web-processes.md); unset: one per CPU
  // in production, one otherwise (webProcessCount below).
  FIREBREAK_WEB_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),
  // Audit checkpoints (docs/decisions/029-checkpoint-cadence.md): how often the head is signed, and the copy of every
  // checkpoint kept outside the database (required in production by the checkpoint worker).
  FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  FIREBREAK_AUDIT_CHECKPOINT_LOG: z.string().trim().min(1).optional(),
  FIREBREAK_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(25_000),
  // Signs the flash-message cookie. Development and tests get a fixed, clearly-labelled value; production refuses to
  // boot without one (the refinement below), like the TOTP key.
  FIREBREAK_COOKIE_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (generate one with: openssl rand -base64 32)")
    .optional(),
  // "1" drops the Secure flag and the __Host- prefix from cookies in production, so a production build can be driven
  // over plain http on localhost (the end-to-end tests). Never set it behind a real hostname.
  FIREBREAK_INSECURE_COOKIES: Flag,
  // "1" lets production start on an empty embedded database with no demo data and no staff (create the first admin
  // with `npm run staff:create-admin`). Without it production refuses an empty embedded database.
  FIREBREAK_EMPTY_START: Flag,
  // "1" lets tests move the server clock (never honoured in production).
  FIREBREAK_TEST_CLOCK: Flag,
  // "1" (tests only, with NODE_ENV=test) hashes staff passwords with argon2's cheapest parameters.
  FIREBREAK_TEST_CHEAP_HASHING: Flag,
  // Tests only (with NODE_ENV=test): milliseconds the server keeps rendering what is still streaming (6,000 otherwise).
  FIREBREAK_TEST_RENDER_ABORT_MS: z.coerce.number().int().positive().optional(),
  // pino's level; unset: info, or warn under NODE_ENV=test.
  FIREBREAK_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  // The Chromium the breach report's PDF is printed with (Debian's by default).
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  // Reversal policy (docs/decisions/012-reversals.md): above the threshold a single reversal waits for a
  // security lead; the daily cap is what one staff member may reverse per JST day without approval.
  FIREBREAK_REVERSAL_APPROVAL_THRESHOLD_YEN: Yen.default(100_000),
  // Bulk money movements and bulk resets at or above either bound need a fresh authenticator code typed on the
  // confirmation form itself, bound to that dry run (docs/decisions/017-codes-bound-to-the-action.md).
  FIREBREAK_BULK_CONFIRMATION_MIN_YEN: Yen.default(1_000_000),
  FIREBREAK_BULK_CONFIRMATION_MIN_ACCOUNTS: z.coerce.number().int().min(1).max(10_000_000).default(100),
  FIREBREAK_REVERSAL_DAILY_CAP_YEN: Yen.default(300_000),
  // A single reversal of at least this much needs a fresh step-up of the staff member who requests it (0: every one),
  // so a stolen agent session cannot move large sums (docs/decisions/035-step-up-in-the-action-spec.md).
  FIREBREAK_STEP_UP_REVERSAL_MIN_YEN: Yen.default(30_000),
  // Customer-data reads (caller searches, account views, recovery pages) one staff member may make per hour, a tenth of
  // them in any minute, so a stolen session cannot page through the customer base (app/auth/read-budget.server.ts).
  // 0: no limit. Unset, it is PRODUCTION_STAFF_READS_PER_HOUR in production and off elsewhere (staffReadsPerHour
  // below), because the console's own tooling reads as one member at machine speed (a search benchmark, a scripted
  // incident replay, the quick start's demo); tooling that runs a production build sets it explicitly.
  FIREBREAK_STAFF_READS_PER_HOUR: z.coerce.number().int().min(0).max(1_000_000).optional(),
  // Audit exports (CSV, JSON Lines, manifests) one staff member may download per hour, a tenth in any minute; 0: no limit.
  FIREBREAK_STAFF_EXPORTS_PER_HOUR: z.coerce.number().int().min(0).max(1_000_000).default(300),
  // The audit signing key (app/audit/signing-key.server.ts).
  FIREBREAK_AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  FIREBREAK_AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  FIREBREAK_AUDIT_TRUSTED_KEYS: z.string().min(1).optional(),
  // Where `npm start` listens.
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  // Where `npm run worker` serves its probes and metrics (on HOST); unset, it serves none.
  FIREBREAK_WORKER_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
});

const AuditKeyEnvFields = EnvFields.pick({
  NODE_ENV: true,
  FIREBREAK_AUDIT_SIGNING_KEY: true,
  FIREBREAK_AUDIT_SIGNING_KEY_FILE: true,
  FIREBREAK_AUDIT_TRUSTED_KEYS: true,
});
export type AuditKeyEnv = z.infer<typeof AuditKeyEnvFields>;

/** The audit signing key's settings alone, from the process or a source a script or test passes. */
export function parseAuditKeyEnv(source: Record<string, string | undefined> = process.env): AuditKeyEnv {
  return AuditKeyEnvFields.parse(source);
}

const EnvSchema = EnvFields.superRefine((value, ctx) => {
  const twilio = [value.TWILIO_ACCOUNT_SID, value.TWILIO_AUTH_TOKEN, value.SMS_FROM].filter(Boolean).length;
  if (twilio !== 0 && twilio !== 3) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["TWILIO_ACCOUNT_SID"],
      message: "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and SMS_FROM go together: set all three or none",
    });
  }
  if (value.NODE_ENV === "production" && !value.FIREBREAK_TOTP_KEY) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["FIREBREAK_TOTP_KEY"],
      message: "is required in production to encrypt staff TOTP secrets (generate one with: openssl rand -base64 32)",
    });
  }
  if (value.NODE_ENV === "production" && !value.FIREBREAK_COOKIE_SECRET) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["FIREBREAK_COOKIE_SECRET"],
      message: "is required in production to sign cookies (generate one with: openssl rand -base64 32)",
    });
  }
  // Mailed links (a customer's reset link, a staff member's invitation, a lead's alert) are built from it: without it
  // they would point at localhost, and a link is never built from the request's Host, which the sender controls.
  if (value.NODE_ENV === "production" && !value.PUBLIC_BASE_URL) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["PUBLIC_BASE_URL"],
      message: "is required in production: the origin staff and customers open (e.g. https://firebreak.example.co.jp)",
    });
  }
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvironmentError extends Error {}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // Treat empty strings as unset: `DATABASE_URL= npm start` means "embedded".
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new EnvironmentError(`Invalid environment: ${issue.path.join(".")} ${issue.message}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/**
 * The origin of every link in mail (a customer's reset link, a staff member's one-time link, a lead's alert): the
 * configured PUBLIC_BASE_URL, required in production; in development, this console on its own port. Never the
 * request's Host header: whoever sends the request could point a mailed link at a host of their choosing and read the
 * token there.
 */
export function publicBaseUrl(): string {
  const config = env();
  return config.PUBLIC_BASE_URL ?? `http://localhost:${config.PORT}`;
}

/**
 * The environment as the process holds it right now, parsed again on every call. For the few settings read per
 * request that tests change while a process runs (reversal policy, the test clock, NODE_ENV for the mail sink).
 */
export function liveEnv(): Env {
  return parseEnv();
}

/**
 * NODE_ENV alone, read at call time. The Remix compiler replaces the literal `process.env.NODE_ENV` with "production"
 * in every build, so a build cannot tell a development console from a production deployment; the process can.
 */
/** Tests only: argon2's cheapest parameters, honoured only while NODE_ENV is "test" at run time. */
export function cheapTestHashing(): boolean {
  const key = "FIREBREAK_TEST_CHEAP_HASHING";
  return runtimeNodeEnv() === "test" && Flag.safeParse(process.env[key] || undefined).data === "1";
}

/** Tests only: how long a page's render may go on, honoured only while NODE_ENV is "test" at run time. */
export function testRenderAbortMs(): number | undefined {
  if (runtimeNodeEnv() !== "test") return undefined;
  return EnvFields.shape.FIREBREAK_TEST_RENDER_ABORT_MS.safeParse(
    process.env.FIREBREAK_TEST_RENDER_ABORT_MS || undefined,
  ).data;
}

export function runtimeNodeEnv(): Env["NODE_ENV"] {
  const key = "NODE_ENV"; // a computed key, so the compiler's replacement cannot reach it
  const parsed = EnvFields.shape.NODE_ENV.safeParse(process.env[key] || undefined);
  return parsed.success ? parsed.data : "production";
}

/** Signs the flash-message cookie; the fallback exists only outside production (parseEnv refuses it there). */
export function cookieSecret(): string {
  return env().FIREBREAK_COOKIE_SECRET ?? "development-only-cookie-secret-not-for-production";
}

/** Secure, __Host- cookies: production, unless FIREBREAK_INSECURE_COOKIES=1 (plain http on localhost). */
export function secureCookies(): boolean {
  return env().NODE_ENV === "production" && env().FIREBREAK_INSECURE_COOKIES !== "1";
}

export function isEmbeddedDatabase(): boolean {
  return env().DATABASE_URL === undefined;
}

/** The read budget a production deployment gets when FIREBREAK_STAFF_READS_PER_HOUR is unset. */
export const PRODUCTION_STAFF_READS_PER_HOUR = 600;

/**
 * Customer-data reads per member and hour: the setting when given (0: no limit), else on in production and off in
 * development and tests. A deployment that forgets the setting is still bounded against a stolen session.
 */
export function staffReadsPerHour(value: Env): number {
  return (
    value.FIREBREAK_STAFF_READS_PER_HOUR ?? (value.NODE_ENV === "production" ? PRODUCTION_STAFF_READS_PER_HOUR : 0)
  );
}

/**
 * Web processes to fork for the console: FIREBREAK_WEB_PROCESSES, else one per CPU in production and one elsewhere.
 * Always one on the embedded database, which only one process may open.
 */
export function webProcessCount(value: Env, cpus: number): number {
  if (value.DATABASE_URL === undefined) return 1;
  return value.FIREBREAK_WEB_PROCESSES ?? (value.NODE_ENV === "production" ? Math.max(1, cpus) : 1);
}

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
  PUBLIC_BASE_URL: z.string().url().optional(),
  // How many reverse proxies stand in front of the console. The client address is the one the outermost of them saw:
  // X-Forwarded-For read from the right, that many entries deep. Anything further left was written by the client.
  FIREBREAK_TRUST_PROXY: z.coerce.number().int().min(0).max(5).default(0),
  // Operations (docs/decisions/030-process-roles.md): what this process runs, who may scrape /metrics, how long a
  // process waits for the database at start-up and for its work to finish on SIGTERM.
  FIREBREAK_ROLE: z.enum(["web", "worker", "all"]).default("all"),
  FIREBREAK_METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  FIREBREAK_DB_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(120_000),
  // Audit checkpoints (docs/decisions/029-checkpoint-cadence.md): how often the head is signed, and the copy of every
  // checkpoint kept outside the database (required in production by the checkpoint worker).
  FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS: z.coerce.number().int().min(1_000).max(600_000).default(5_000),
  FIREBREAK_AUDIT_CHECKPOINT_LOG: z.string().trim().min(1).optional(),
  FIREBREAK_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).default(25_000),
});

const EnvSchema = EnvFields.superRefine((value, ctx) => {
  if (value.NODE_ENV === "production" && !value.FIREBREAK_TOTP_KEY) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      path: ["FIREBREAK_TOTP_KEY"],
      message: "is required in production to encrypt staff TOTP secrets (generate one with: openssl rand -base64 32)",
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

export function isEmbeddedDatabase(): boolean {
  return env().DATABASE_URL === undefined;
}

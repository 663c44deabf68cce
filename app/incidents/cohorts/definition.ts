// A cohort definition: the filters of the signal search, as a security lead sets them in the builder and as a saved
// cohort records them (cohort.definition). Versioned so that a definition saved today still reads after the filters
// grow. Shared by the server and the builder page (no server imports).
import { z } from "zod";

export const COHORT_DEFINITION_VERSION = 1;

/** The longest window a signal search may scan: an incident's weeks, not a year of history. */
export const MAX_WINDOW_DAYS = 92;
const DAY_MS = 24 * 60 * 60 * 1000;

const Hours = z.coerce.number().int().min(1).max(168);
const MinAccounts = z.coerce.number().int().min(2).max(10_000);

export const CohortDefinitionSchema = z
  .object({
    version: z.literal(COHORT_DEFINITION_VERSION).default(COHORT_DEFINITION_VERSION),
    window: z.object({ from: z.coerce.date(), to: z.coerce.date() }),
    /** "all": an account must show every selected signal; "any": at least one. */
    match: z.enum(["all", "any"]).default("all"),
    /** Keep only accounts whose risk score (over every signal, selected or not) reaches this. */
    minScore: z.coerce.number().int().min(0).max(100).default(0),
    signals: z
      .object({
        newDevice: z.object({ enabled: z.boolean().default(false) }).default({}),
        foreignSignIn: z
          .object({
            enabled: z.boolean().default(false),
            homeCountry: z
              .string()
              .regex(/^[A-Z]{2}$/, "cohorts:validation.homeCountry")
              .default("JP"),
          })
          .default({}),
        sharedDevice: z
          .object({ enabled: z.boolean().default(false), minAccounts: MinAccounts.default(3) })
          .default({}),
        sharedIp: z.object({ enabled: z.boolean().default(false), minAccounts: MinAccounts.default(10) }).default({}),
        topUpThenResellable: z
          .object({
            enabled: z.boolean().default(false),
            withinHours: Hours.default(6),
            minYen: z.coerce.number().int().min(1).max(100_000_000).default(10_000),
          })
          .default({}),
        contactChangeBeforeTopUp: z
          .object({ enabled: z.boolean().default(false), withinHours: Hours.default(24) })
          .default({}),
      })
      .default({}),
    /** Only accounts that bought something at one of these stores within the window. */
    storeIds: z.array(z.string().uuid()).max(20).default([]),
  })
  .superRefine((value, ctx) => {
    const span = value.window.to.getTime() - value.window.from.getTime();
    if (Number.isNaN(span) || span <= 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["window", "to"],
        message: "cohorts:validation.windowOrder",
      });
    } else if (span > MAX_WINDOW_DAYS * DAY_MS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["window", "to"],
        // {{days}} is MAX_WINDOW_DAYS, given where the message is translated.
        message: "cohorts:validation.windowTooLong",
      });
    }
    const anySignal = Object.values(value.signals).some((signal) => signal.enabled);
    if (!anySignal && value.storeIds.length === 0) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["signals"],
        message: "cohorts:validation.needSignal",
      });
    }
  });

export type CohortDefinition = z.infer<typeof CohortDefinitionSchema>;
export type SignalKey = keyof CohortDefinition["signals"];

export const SIGNAL_KEYS: readonly SignalKey[] = [
  "newDevice",
  "foreignSignIn",
  "sharedDevice",
  "sharedIp",
  "topUpThenResellable",
  "contactChangeBeforeTopUp",
];

/**
 * Points per signal. They add up to 100, and weigh how specific each signal is to an account takeover: a new phone or
 * a trip abroad alone is ordinary; a device fingerprint seen on many accounts, or money moved to resellable goods right
 * after a card top-up, much less so.
 */
export const SIGNAL_POINTS: Record<SignalKey, number> = {
  newDevice: 15,
  foreignSignIn: 20,
  sharedDevice: 20,
  sharedIp: 10,
  topUpThenResellable: 20,
  contactChangeBeforeTopUp: 15,
};

/** How many of the highest-scoring matches the builder's preview lists (the page says so when there are more). */
export const PREVIEW_LIMIT = 200;

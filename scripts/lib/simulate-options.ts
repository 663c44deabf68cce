// Command-line options of `npm run simulate` (scripts/simulate.ts).
import { parseArgs } from "node:util";
import type { FundingKind } from "~/generated/prisma/enums";

export interface SimulateOptions {
  intervalMs: number;
  /** Stop after this many attempts; 0 runs until Ctrl-C. */
  count: number;
  customers: number;
  channels: FundingKind[];
  purchases: boolean;
  embedded: boolean;
  seed: number;
  color: boolean;
  help: boolean;
}

const CHANNEL_NAMES: Record<string, FundingKind> = {
  card: "CREDIT_CARD",
  bank: "BANK",
  cash: "CONVENIENCE_CASH",
};

export const USAGE = `npm run simulate -- [options]

Drives customer top-ups and purchases against the wallet back end, one line per attempt, so you can watch top-ups
being refused while a kill switch is engaged and accepted again once it is released.

  --interval <ms>      pause between attempts (default 800)
  --count <n>          stop after n attempts (default: run until Ctrl-C)
  --customers <n>      how many customers to rotate through (default 6)
  --channels <list>    top-up channels to use: card,bank,cash (default all three)
  --no-purchases       top-ups only
  --seed <n>           random seed, for a repeatable run
  --embedded           use the embedded database (only while the console is NOT running: PGlite is one process)
  --no-color           plain output
`;

export class OptionsError extends Error {}

function positiveInt(value: string | undefined, name: string, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < min)
    throw new OptionsError(`--${name} must be a whole number ≥ ${min}`);
  return parsed;
}

export function parseSimulateOptions(argv: string[], isTty: boolean): SimulateOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        interval: { type: "string" },
        count: { type: "string" },
        customers: { type: "string" },
        channels: { type: "string" },
        "no-purchases": { type: "boolean", default: false },
        seed: { type: "string" },
        embedded: { type: "boolean", default: false },
        "no-color": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    throw new OptionsError(error instanceof Error ? error.message : String(error));
  }
  const channels = (values.channels ?? "card,bank,cash")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean)
    .map((name) => {
      const kind = CHANNEL_NAMES[name];
      if (!kind) throw new OptionsError(`--channels: unknown channel "${name}" (use card, bank, cash)`);
      return kind;
    });
  if (channels.length === 0) throw new OptionsError("--channels: name at least one channel");
  return {
    intervalMs: positiveInt(values.interval, "interval", 800, 0),
    count: positiveInt(values.count, "count", 0, 0),
    customers: positiveInt(values.customers, "customers", 6),
    channels: [...new Set(channels)],
    purchases: !values["no-purchases"],
    embedded: values.embedded ?? false,
    seed: positiveInt(values.seed, "seed", Date.now() % 2_147_483_647, 0),
    color: isTty && !values["no-color"] && !process.env.NO_COLOR,
    help: values.help ?? false,
  };
}

// The switch board's "what does the wallet back end answer right now" check: for each channel it runs the exact
// admission check a top-up runs (assertTopUpsAllowed: the covering switches read FOR SHARE inside a transaction) and
// reports accepted or the refusal code. No customer, no money: the transaction only reads and is rolled back.
import { prisma } from "~/db.server";
import type { FundingKind } from "~/generated/prisma/enums";
import { FUNDING_KINDS } from "~/killswitch/switch-keys";
import { DomainError } from "~/lib/domain-error";
import { assertTopUpsAllowed } from "~/wallet/top-up.server";
import { SwitchStateUnavailableRefusal } from "~/wallet/errors";

export interface TopUpAdmission {
  channel: FundingKind;
  admitted: boolean;
  code: string | null;
  message: string | null;
}

class ProbeDone extends Error {}

export async function probeTopUpAdmission(channel: FundingKind): Promise<TopUpAdmission> {
  try {
    await prisma.$transaction(async (tx) => {
      await assertTopUpsAllowed(tx, channel);
      throw new ProbeDone(); // roll back: the probe holds no lock longer than it must
    });
    throw new Error("unreachable");
  } catch (error) {
    if (error instanceof ProbeDone) return { channel, admitted: true, code: null, message: null };
    const refusal = error instanceof DomainError ? error : new SwitchStateUnavailableRefusal();
    return { channel, admitted: false, code: refusal.code, message: refusal.message };
  }
}

export async function probeAllChannels(): Promise<TopUpAdmission[]> {
  const results: TopUpAdmission[] = [];
  // One after another: on the embedded database every transaction shares one connection.
  for (const channel of FUNDING_KINDS) results.push(await probeTopUpAdmission(channel));
  return results;
}

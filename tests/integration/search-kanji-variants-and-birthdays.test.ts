// The caller search with a modern kanji name typed alone while others hold it (高梨 typed: the 髙梨 customer is listed
// after the 高梨 ones, and counted), and with a birth month or a birthday without its year beside a name: they narrow
// the namesakes to those born then (ADR 086).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "~/audit/actor";
import { searchForCaller, type CallerSearchResult } from "~/accounts/caller-search.server";
import { prisma } from "~/db.server";

const agent: Actor = { kind: "staff", id: randomUUID(), role: "AGENT" };
const ctx = { actor: agent, origin: { ip: "198.51.100.24", userAgent: "vitest", requestId: `req-${randomUUID()}` } };
const eightDigits = () => String(Math.floor(Math.random() * 1e8)).padStart(8, "0");

function results(result: CallerSearchResult) {
  if (result.kind !== "results") throw new Error(`refused: ${result.message}`);
  return result;
}

async function makeCustomer(name: string, nameKana: string, birthDate: string) {
  return prisma.customer.create({
    data: {
      displayId: `W-${eightDigits()}`,
      name,
      nameKana,
      email: `round5-${randomUUID().slice(0, 8)}@round5.example`,
      phone: `+8170${eightDigits()}`,
      birthDate: new Date(birthDate),
    },
  });
}

// Rare names no other test file uses.
let oldTakanashi: Awaited<ReturnType<typeof makeCustomer>>;
let modernTakanashi: Awaited<ReturnType<typeof makeCustomer>>;

beforeAll(async () => {
  oldTakanashi = await makeCustomer("髙梨 澪", "タカナシ ミオ", "1983-06-06");
  modernTakanashi = await makeCustomer("高梨 湊", "タカナシ ミナト", "1990-02-02");
});

describe("a modern kanji name typed alone finds its old form too", () => {
  it("高梨 lists the 高梨 customer, then the 髙梨 one, and counts both", async () => {
    const found = results(await searchForCaller(ctx, "高梨"));
    expect(found.hits.map((hit) => hit.id)).toEqual([modernTakanashi.id, oldTakanashi.id]);
    expect(found.hits[1]!.matchedBy).toBe("nameVariant");
    expect(found.total).toBe(2);
  });
});

// Reads for the risk pages (routes never touch the database themselves).
import { prisma } from "~/db.server";
import type { BacktestResults } from "~/risk/backtest.server";

const LIST_LIMIT = 300;

export async function listRules() {
  return prisma.riskRule.findMany({
    orderBy: [{ ruleKey: "asc" }, { version: "desc" }],
    take: LIST_LIMIT,
    select: {
      id: true,
      ruleKey: true,
      version: true,
      name: true,
      condition: true,
      outcome: true,
      channel: true,
      eventKind: true,
      status: true,
    },
  });
}

export async function loadRule(ruleId: string) {
  const rule = await prisma.riskRule.findUnique({ where: { id: ruleId } });
  if (!rule) return null;
  const latest = await prisma.riskBacktest.findFirst({ where: { ruleId }, orderBy: { createdAt: "desc" } });
  return {
    rule,
    backtest: latest
      ? { id: latest.id, createdAt: latest.createdAt, results: latest.results as unknown as BacktestResults }
      : null,
  };
}

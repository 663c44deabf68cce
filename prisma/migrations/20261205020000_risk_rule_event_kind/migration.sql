-- CreateEnum
CREATE TYPE "RiskEventKind" AS ENUM ('TOP_UP', 'PURCHASE', 'SIGN_IN');

-- AlterTable: every rule written before event kinds existed decided top-ups.
ALTER TABLE "risk_rule" ADD COLUMN     "event_kind" "RiskEventKind" NOT NULL DEFAULT 'TOP_UP';

-- A funding channel only exists on a top-up: a purchase or sign-in rule scoped to one could never match.
ALTER TABLE "risk_rule" ADD CONSTRAINT "risk_rule_channel_only_for_top_ups"
  CHECK ("event_kind" = 'TOP_UP' OR "channel" IS NULL);

-- When each service instance first reported the switch version it applied (the pick-up time on the switch board);
-- reported_at becomes the latest report (a heartbeat). Existing rows take their last report as the best estimate.
ALTER TABLE "service_switch_ack" ADD COLUMN "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
UPDATE "service_switch_ack" SET "applied_at" = "reported_at";

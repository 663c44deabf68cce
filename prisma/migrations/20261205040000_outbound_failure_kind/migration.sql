-- Why a FAILED message failed, so the incident dashboard can tell a bounce (the server refused it for good) from a
-- message the worker gave up on.
CREATE TYPE "OutboundFailure" AS ENUM ('REJECTED', 'RETRIES_EXHAUSTED', 'NOT_SENDABLE');

ALTER TABLE "outbound_message" ADD COLUMN "failure" "OutboundFailure";

-- Messages that failed before this column existed: the worker's reason tells exhausted retries ("gave up after N
-- attempts") and a recipient the server never took apart; the other permanent failures are counted as refusals by the
-- server (a local envelope or message error left no trace that tells it apart, and is far rarer than a 5xx).
UPDATE "outbound_message"
   SET "failure" = CASE
         WHEN "last_error" LIKE 'gave up after %' THEN 'RETRIES_EXHAUSTED'::"OutboundFailure"
         WHEN "last_error" LIKE '%neither accepted nor rejected%' THEN 'NOT_SENDABLE'::"OutboundFailure"
         ELSE 'REJECTED'::"OutboundFailure"
       END
 WHERE "status" = 'FAILED';

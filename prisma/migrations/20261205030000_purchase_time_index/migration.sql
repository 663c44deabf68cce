-- The detectors read every purchase of the last hour once a minute: by time, not by customer or store.
-- CreateIndex
CREATE INDEX "purchase_occurred_at_idx" ON "purchase"("occurred_at");

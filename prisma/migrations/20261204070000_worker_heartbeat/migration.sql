-- One row per running process that runs background workers, refreshed every few seconds: /readyz reports whether
-- any worker process is alive (docs/decisions/030-process-roles.md). A process that stops cleanly deletes its row;
-- one that dies leaves a row whose beat_at goes stale.
CREATE TABLE "worker_heartbeat" (
    "instance_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "workers" TEXT[] NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeat_pkey" PRIMARY KEY ("instance_id")
);
CREATE INDEX "worker_heartbeat_beat_at_idx" ON "worker_heartbeat"("beat_at");

-- A backtest runs as a bulk job of one item: the replay is one long read, so the job also says how far into the
-- recording it is (events replayed of the events there are), renewed with its lease while the replay runs.
ALTER TABLE "bulk_job" ADD COLUMN "progress_done" BIGINT, ADD COLUMN "progress_total" BIGINT;

-- The job that saved a backtest: at most one backtest per job, so a job resumed after a crash cannot save twice.
ALTER TABLE "risk_backtest" ADD COLUMN "job_id" UUID;
CREATE UNIQUE INDEX "risk_backtest_job_id_key" ON "risk_backtest"("job_id");

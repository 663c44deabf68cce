-- CreateEnum
CREATE TYPE "BreachReportKind" AS ENUM ('PRELIMINARY', 'FINAL');

-- CreateTable
CREATE TABLE "breach_report" (
    "id" UUID NOT NULL,
    "incident_id" UUID NOT NULL,
    "kind" "BreachReportKind" NOT NULL,
    "version" INTEGER NOT NULL,
    "learned_at" TIMESTAMPTZ(3) NOT NULL,
    "unauthorized_intent" BOOLEAN NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "items" JSONB NOT NULL,
    "figures" JSONB NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "breach_report_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "breach_report_incident_id_kind_version_key" ON "breach_report"("incident_id", "kind", "version");

-- AddForeignKey
ALTER TABLE "breach_report" ADD CONSTRAINT "breach_report_incident_id_fkey" FOREIGN KEY ("incident_id") REFERENCES "incident"("id") ON DELETE RESTRICT ON UPDATE CASCADE;


-- Bounds the database holds whatever the writer.
ALTER TABLE "breach_report" ADD CONSTRAINT "breach_report_version_positive" CHECK ("version" >= 1);

-- Append-only: a filed version of a report to the regulator is a record; a correction is a new version.
CREATE TRIGGER breach_report_append_only BEFORE UPDATE OR DELETE ON "breach_report"
  FOR EACH ROW EXECUTE FUNCTION firebreak_reject_change();
CREATE TRIGGER breach_report_no_truncate BEFORE TRUNCATE ON "breach_report"
  FOR EACH STATEMENT EXECUTE FUNCTION firebreak_reject_change();

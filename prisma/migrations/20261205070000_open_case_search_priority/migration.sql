-- The caller search lists a name's namesakes whose incident case is still open (any status but CLOSED) first: during an
-- incident they are the people who call. The search asks which of a name's customers have such a case from whichever
-- side the planner finds smaller (the namesakes, or the open cases); this partial index answers both reading only the
-- open cases, a small share of the table even in a large incident, and costs nothing once a case is closed.
CREATE INDEX "incident_case_open_customer_idx" ON "incident_case"("customer_id") WHERE "status" <> 'CLOSED';

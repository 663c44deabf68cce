-- The account timeline's staff actions (app/accounts/timeline.server.ts) without the reads of the account: every view and
-- every search that showed it leaves a row targeting the customer, so a customer viewed a thousand times made each
-- view walk a thousand rows to find its few staff actions. Rows of read actions are never in this index; the timeline's
-- statement names the same two actions as literals, so that its plan may use it
-- (docs/decisions/060-cheaper-statements-per-request.md).
CREATE INDEX "audit_event_staff_action_target_seq_idx" ON "audit_event"("target_type", "target_id", "seq")
  WHERE "action" NOT IN ('account.view', 'accounts.search');

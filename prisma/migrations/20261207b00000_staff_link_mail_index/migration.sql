-- A staff member's page shows the mail that carried their latest one-time link (app/auth/staff-directory.server.ts).
-- Only staff mail has a staff_id: customer notices, by far the most rows, are not in this index and pay nothing for it.
CREATE INDEX "outbound_message_staff_created_idx" ON "outbound_message"("staff_id", "created_at")
  WHERE "staff_id" IS NOT NULL;

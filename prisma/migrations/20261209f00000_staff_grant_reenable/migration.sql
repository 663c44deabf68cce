-- AlterEnum
ALTER TYPE "StaffGrantKind" ADD VALUE 'REENABLE';

-- Re-enabling a member whose role is privileged waits for a second admin, like a raise: the request names the member
-- and the role they held when it was filed (for a re-enable, the role they get back). The constraint is written
-- without the new label, which PostgreSQL does not let this same transaction use.
ALTER TABLE "staff_grant_request" DROP CONSTRAINT "staff_grant_request_kind_fields";
ALTER TABLE "staff_grant_request" ADD CONSTRAINT "staff_grant_request_kind_fields"
  CHECK (("kind" = 'INVITE' AND "email" IS NOT NULL AND "display_name" IS NOT NULL AND "language" IN ('ja', 'en'))
      OR ("kind" <> 'INVITE' AND "staff_id" IS NOT NULL AND "from_role" IS NOT NULL));

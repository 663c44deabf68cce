-- Mail to security leads through the same outbox as customer notices: a message is addressed to a customer or to a
-- staff member, never both and never neither. Which leads are on duty is one row per lead.
-- AlterTable
ALTER TABLE "outbound_message" ADD COLUMN     "staff_id" UUID,
ALTER COLUMN "customer_id" DROP NOT NULL;

ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_one_recipient_kind"
  CHECK (("customer_id" IS NULL) <> ("staff_id" IS NULL));

-- CreateTable
CREATE TABLE "staff_duty" (
    "staff_id" UUID NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_duty_pkey" PRIMARY KEY ("staff_id")
);

-- AddForeignKey
ALTER TABLE "outbound_message" ADD CONSTRAINT "outbound_message_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff_duty" ADD CONSTRAINT "staff_duty_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

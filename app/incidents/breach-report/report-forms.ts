// The breach report's forms, parsed on the server with Conform's parseWithZod (field names are dotted paths:
// "items.overview.ja"). Conform turns an emptied textarea into undefined: an empty item is "".
import { z } from "zod";
import { MAX_ITEM_LENGTH, REPORT_ITEMS, type ReportItemKey } from "~/incidents/breach-report/items";

const FormText = z
  .string()
  .max(MAX_ITEM_LENGTH)
  .refine((value) => !value.includes("\u0000"), "command:report.unstorable")
  .default("");
const Checkbox = z
  .string()
  .optional()
  .transform((value) => value === "on");

export const DraftReportFields = z.object({
  kind: z.enum(["PRELIMINARY", "FINAL"], { message: "command:reports.chooseKind" }),
  learnedAt: z
    .string({ required_error: "command:reports.learnedAtRequired" })
    .max(32, "command:reports.learnedAtTooLong"),
  unauthorizedIntent: Checkbox,
});

export const SaveReportFields = z.object({
  baseVersion: z.coerce.number().int().min(1).max(1_000_000),
  // The page's one-time key for this rendering of the editor (ADR 095): a resent save makes no second version.
  submissionKey: z.string().uuid("validation:unreadableForm").optional(),
  unauthorizedIntent: Checkbox,
  items: z
    .object(
      Object.fromEntries(
        REPORT_ITEMS.map((item) => [item.key, z.object({ ja: FormText, en: FormText }).default({})]),
      ) as Record<ReportItemKey, z.ZodDefault<z.ZodObject<{ ja: typeof FormText; en: typeof FormText }>>>,
    )
    .default({}),
});

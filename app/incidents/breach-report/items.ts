// The items the Personal Information Protection Commission's report form asks for (Enforcement Rules Art. 8), in its
// order, each written in Japanese (what is filed) and English (for the company's own readers).
import { z } from "zod";

export const REPORT_ITEMS = [
  { key: "overview", ja: "概要", en: "Overview" },
  {
    key: "personalData",
    ja: "漏えい等が発生し、又は発生したおそれがある個人データの項目",
    en: "Personal data involved",
  },
  { key: "persons", ja: "本人の数", en: "Number of persons" },
  { key: "cause", ja: "原因", en: "Cause" },
  { key: "secondaryDamage", ja: "二次被害又はそのおそれの有無及びその内容", en: "Secondary damage or its risk" },
  { key: "responseToPersons", ja: "本人への対応の実施状況", en: "Response to the persons concerned" },
  { key: "publication", ja: "公表の実施状況", en: "Publication" },
  { key: "recurrence", ja: "再発防止のための措置", en: "Measures against recurrence" },
  { key: "other", ja: "その他参考となる事項", en: "Other relevant matters" },
] as const;

export type ReportItemKey = (typeof REPORT_ITEMS)[number]["key"];
export type ReportLanguage = "ja" | "en";

export const MAX_ITEM_LENGTH = 8000;

const ItemText = z
  .string()
  .max(MAX_ITEM_LENGTH, "validation:tooLong")
  // NUL cannot be stored in PostgreSQL text or JSON.
  .refine((value) => !value.includes("\u0000"), "validation:controlCharacters");

export const ReportItemsSchema = z.object(
  Object.fromEntries(REPORT_ITEMS.map((item) => [item.key, z.object({ ja: ItemText, en: ItemText })])) as Record<
    ReportItemKey,
    z.ZodObject<{ ja: typeof ItemText; en: typeof ItemText }>
  >,
);

export type ReportItems = z.infer<typeof ReportItemsSchema>;

/** Items that must be filled before a report is complete (every one the Commission asks for). */
export function missingItems(items: ReportItems, language: ReportLanguage): ReportItemKey[] {
  return REPORT_ITEMS.filter((item) => items[item.key][language].trim() === "").map((item) => item.key);
}

// Who the notices come from, and how a customer reaches us. One place, so legal and support can change the wording
// without touching the templates.
import type { Language } from "~/notify/language";

export const BRAND: Record<Language, { name: string; team: string; hours: string }> = {
  ja: { name: "ウォレット", team: "ウォレット セキュリティ対策室", hours: "受付時間 9:00〜21:00（年中無休）" },
  en: { name: "Wallet", team: "Wallet Security Team", hours: "9:00–21:00 Japan time, every day" },
};

export const SUPPORT_PHONE = "0120-000-700";

// A reversal reason's label in the reader's language. The reason table keeps its English label (reports and the audit
// trail read it); the page says it through reversals:reasonLabel.<CODE>, and a code added to the table without a
// translation still shows its stored label.
import { useTranslation } from "react-i18next";

export function useReasonLabel(): (code: string, stored: string) => string {
  const { t, i18n } = useTranslation("reversals");
  return (code, stored) => {
    const key = `reversals:reasonLabel.${code}`;
    return i18n.exists(key) ? t(key as never) : stored;
  };
}

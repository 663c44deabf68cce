// A switch's name and description in the reader's language. The reference data in the database holds the English
// (what other payment services read through the API); the console shows the translation kept under killswitch:names,
// and the stored text for a switch it does not know.
import { useTranslation } from "react-i18next";

export function useSwitchNames() {
  const { i18n } = useTranslation("killswitch");
  return (key: string, stored: { label: string; description?: string }) => {
    const base = `killswitch:names.${key.replace(/\./g, "_")}`;
    const known = i18n.exists(`${base}.label`);
    return {
      label: known ? String(i18n.t(`${base}.label` as never)) : stored.label,
      description: known ? String(i18n.t(`${base}.description` as never)) : (stored.description ?? ""),
    };
  };
}

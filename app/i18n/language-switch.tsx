// The header's language switch: one button naming the other language in that language ("English" / "日本語"), so a
// member who cannot read the current one can still find it.
import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLanguage, type Language } from "~/i18n/config";

export function LanguageSwitch({ returnTo }: { returnTo: string }) {
  const { t, i18n } = useTranslation();
  const current: Language = isLanguage(i18n.language) ? i18n.language : "ja";
  const other: Language = current === "ja" ? "en" : "ja";
  const otherName = t(`language.name.${other}`);
  return (
    <Form method="post" action="/settings/language" data-testid="language-switch">
      <input type="hidden" name="redirectTo" value={returnTo} />
      <button
        type="submit"
        name="language"
        value={other}
        lang={other}
        title={t("language.switchTo", { language: otherName })}
        aria-label={t("language.switchTo", { language: otherName })}
        className="rounded border border-slate-600 px-2 py-0.5 text-slate-200 hover:text-white"
      >
        {otherName}
      </button>
    </Form>
  );
}

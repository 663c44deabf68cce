// Hydration with the same resources the server rendered with (bundled, never fetched) and the language the server
// chose, which it wrote into <html lang>.
import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { installAutomaticRefreshMarker } from "~/components/automatic-refresh";
import { installImeEnterGuard } from "~/components/ime-guard";
import { DEFAULT_LANGUAGE, i18nConfig, isLanguage } from "~/i18n/config";

const lang = document.documentElement.lang;
void i18next.use(initReactI18next).init({ ...i18nConfig, lng: isLanguage(lang) ? lang : DEFAULT_LANGUAGE });

installImeEnterGuard(document);
installAutomaticRefreshMarker(window);

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={i18next}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  );
});

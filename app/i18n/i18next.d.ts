// Typed keys: `t("missing.key")` fails typecheck. The English resources are the reference.
import "i18next";
import type { en } from "~/i18n/resources";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: typeof en;
    returnNull: false;
  }
}

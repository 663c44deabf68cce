// 日本語: cohorts
import type en from "~/i18n/locales/en/cohorts";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

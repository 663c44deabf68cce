// 日本語: risk
import type en from "~/i18n/locales/en/risk";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

// 日本語: audit
import type en from "~/i18n/locales/en/audit";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

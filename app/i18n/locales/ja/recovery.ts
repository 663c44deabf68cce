// 日本語: recovery
import type en from "~/i18n/locales/en/recovery";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

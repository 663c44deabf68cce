// 日本語: notify
import type en from "~/i18n/locales/en/notify";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

// 日本語: admin
import type en from "~/i18n/locales/en/admin";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

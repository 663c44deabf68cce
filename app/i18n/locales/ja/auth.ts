// 日本語: auth
import type en from "~/i18n/locales/en/auth";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

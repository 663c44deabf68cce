// 日本語: accounts
import type en from "~/i18n/locales/en/accounts";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

// 日本語: killswitch
import type en from "~/i18n/locales/en/killswitch";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

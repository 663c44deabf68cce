// 日本語: reversals
import type en from "~/i18n/locales/en/reversals";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

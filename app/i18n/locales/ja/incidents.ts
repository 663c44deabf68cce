// 日本語: incidents
import type en from "~/i18n/locales/en/incidents";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

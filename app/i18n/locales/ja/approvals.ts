// 日本語: approvals
import type en from "~/i18n/locales/en/approvals";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

// 日本語: jobs
import type en from "~/i18n/locales/en/jobs";
import type { Messages } from "~/i18n/messages";

export default {} satisfies Messages<typeof en>;

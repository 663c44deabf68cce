// 日本語: DomainError のコードごとのメッセージ
import type en from "~/i18n/locales/en/errors";
import type { Messages } from "~/i18n/messages";

export default {
  PERMISSION_DENIED: "この操作を行う権限がありません。",
  INVALID_LANGUAGE: "日本語または英語を選んでください。",
} satisfies Messages<typeof en>;

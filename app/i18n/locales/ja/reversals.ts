// 日本語: 取消
import type en from "~/i18n/locales/en/reversals";
import type { Messages } from "~/i18n/messages";

export default {
  status: {
    COMPLETED: "完了",
    SUCCEEDED: "成功",
    PENDING_APPROVAL: "承認待ち",
    QUEUED: "待機中",
    RUNNING: "実行中",
    REJECTED: "却下",
    FAILED: "失敗",
    WITHDRAWN: "取り下げ",
    CANCELLED: "中止",
    SKIPPED: "スキップ",
    PENDING: "保留中",
  },
} satisfies Messages<typeof en>;

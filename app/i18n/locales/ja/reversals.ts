// 日本語: 取消
import type en from "~/i18n/locales/en/reversals";
import type { Messages } from "~/i18n/messages";

export default {
  pageTitle: "取消",
  notFound: "該当する取消依頼はありません。",
  withdrawn: "依頼を取り下げました。お金は動いていません。",
  detail: {
    wallet: "・ウォレット残高 {{amount}}",
    title: "{{amount}}の取消",
    whereWent: "返金先",
    whereGoes: "承認後の返金先",
    refund: "{{channel}}の決済代行会社への返金指示：",
    waitingDailyCap:
      "セキュリティ責任者の承認待ちです（依頼者の1日の取消上限を超えるため）。お金はまだ動いていません。",
    waitingThreshold: "セキュリティ責任者の承認待ちです（承認が必要な金額を超えるため）。お金はまだ動いていません。",
    charge: "対象の取引",
    purchaseOf: "{{at}}の決済 {{amount}}：取消済み合計 {{reversed}}、残り {{remaining}}",
    topUpOf: "{{at}}のチャージ {{amount}}：取消済み合計 {{reversed}}、残り {{remaining}}",
    reason: "理由",
    requested: "依頼",
    decided: "判断",
    byAt: "{{name}}（{{at}}）",
    ledgerTransaction: "台帳の取引ID",
    withdraw: "この依頼を取り下げる",
  },
  channel: {
    CREDIT_CARD: "クレジットカード",
    BANK: "銀行",
    CONVENIENCE_CASH: "コンビニ現金",
  },
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

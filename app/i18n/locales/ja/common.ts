// 日本語: 全ページ共通（ヘッダー、言語切替、エラーページ、共通語）
import type en from "~/i18n/locales/en/common";
import type { Messages } from "~/i18n/messages";

export default {
  appName: "Firebreak",
  nav: {
    label: "メインメニュー",
    incident: "インシデント",
    accounts: "アカウント",
    cases: "案件",
    cohorts: "対象者グループ",
    killSwitches: "緊急停止",
    approvals: "承認待ち",
    jobs: "一括処理",
    notifications: "お客様通知",
    audit: "監査ログ",
    staff: "スタッフ",
    serviceTokens: "サービストークン",
  },
  role: {
    AGENT: "サポート担当",
    SECURITY_LEAD: "セキュリティ責任者",
    COMPLIANCE: "コンプライアンス",
    ADMIN: "管理者",
  },
  signOut: "サインアウト",
  language: {
    switchTo: "表示言語を{{language}}に切り替える",
    name: { ja: "日本語", en: "English" },
    changed: "表示言語を日本語に切り替えました。",
  },
  banner: {
    engaged: "緊急停止中：{{labels}}",
    seeBoard: "緊急停止ボードを開く",
  },
  errorPage: {
    title: "エラーが発生しました",
    detail: "予期しないエラーが発生しました。失敗した操作による変更はありません。",
    notAllowed: "権限がありません",
    notFound: "見つかりません",
    status: "エラー {{status}}",
    noSuchPage: "該当するページまたはデータがありません。",
    requestId: "リクエストID：",
    unavailable: "取得できません",
    back: "コンソールに戻る",
  },
  forbidden: "現在のロール（{{role}}）ではこの操作はできません。「{{permission}}」権限が必要です。",
  empty: "—",
  listSeparator: "、",
} satisfies Messages<typeof en>;

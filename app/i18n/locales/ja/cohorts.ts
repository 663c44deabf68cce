// 日本語: 対象者抽出（保存済みの一覧、詳細、抽出条件の作成）
import type en from "~/i18n/locales/en/cohorts";
import type { Messages } from "~/i18n/messages";

export default {
  list: {
    pageTitle: "対象者抽出",
    title: "対象者抽出",
    intro:
      "シグナル検索の結果を保存したものです。保存時点のリスクスコアと理由つきで、アカウントの一覧が固定されます。一括取消、パスワードの強制リセット、お客様通知はこの一覧を対象に実行します。",
    build: "対象者を抽出する",
    none: "保存された対象者抽出はまだありません。",
    name: "名前",
    incident: "インシデント",
    accounts: "アカウント数",
    saved: "保存日時",
    by: "保存者",
  },
  detail: {
    pageTitle: "対象者抽出",
    pageTitleOf: "{{name}} · 対象者抽出",
    unknownAction: "この対象者抽出に対する不明な操作です。",
    back: "← 保存済みの対象者抽出",
    summary: "{{members}} 件のアカウント・{{at}} 保存",
    id: "・ID ",
    bulkLabel: "この対象者への一括操作",
    reverse: "この対象者の決済を一括取消",
    filters: "抽出条件",
    runAgain: "同じ条件で再抽出",
    members: "対象アカウント",
    score: "スコア",
    account: "アカウント",
    reasons: "理由（保存時点）",
    pagesLabel: "対象アカウントのページ",
    previous: "← 前へ",
    pageOf: "{{page}} / {{pages}} ページ",
    next: "次へ →",
  },
} satisfies Messages<typeof en>;

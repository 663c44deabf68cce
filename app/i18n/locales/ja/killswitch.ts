// 日本語: 緊急停止ボード
import type en from "~/i18n/locales/en/killswitch";
import type { Messages } from "~/i18n/messages";

export default {
  pageTitle: "緊急停止",
  title: "緊急停止",
  intro:
    "停止するとその処理は全プロセスで即座に止まります（セキュリティ責任者1名で実行可能）。解除には別のセキュリティ責任者の承認が必要です。すべての操作は監査ログに記録されます。",
  noneEngaged: "停止中のスイッチはありません。",
  engagedSummary_other: "{{count}}件停止中：{{labels}}",
  stepUpHint: "停止・承認には認証アプリの確認コードの再入力が必要です（有効期間5分）。",
  pending: {
    title: "承認待ち（{{count}}件）",
    releaseOf: "{{label}}の解除",
    requestedBy: "— {{name}}が{{at}}に依頼",
    yours: "（ご自身の依頼のため、別の責任者の承認が必要です）",
  },
  state: {
    engaged: "停止中・処理を止めています",
    released: "稼働中・処理は通常どおり",
  },
  card: {
    version: "バージョン {{version}}",
    engagedBy: "<strong>{{name}}</strong>が{{at}}に停止",
    why: "理由：",
    releasesAt: "<strong>{{at}}</strong>に自動で解除されます（停止時に設定）。",
    staysEngaged: "セキュリティ責任者2名が解除するまで停止したままです。",
    releasedAt: "{{at}}に解除：{{requester}}が依頼し、{{approver}}が承認。理由：{{reason}}",
    autoReleasedAt: "停止時に設定された時刻（{{at}}）に自動で解除されました。",
    lastChanged: "最終変更：{{at}}",
    neverEngaged: "停止されたことはありません。",
    releaseRequested:
      "<strong>解除依頼</strong>：{{name}}が{{at}}に依頼（バージョン {{version}} に対して）：{{reason}}",
    waitingForOther: "別のセキュリティ責任者の承認を待っています。",
  },
  form: {
    whyWithdraw: "取り下げる理由",
    withdraw: "依頼を取り下げる",
    approvalNote: "承認メモ",
    approve: "承認して解除する",
    approving: "解除の承認",
    whyReject: "却下する理由",
    reject: "却下する",
    engaging: "スイッチの停止",
    reasonEngage: "停止する理由",
    reasonEngagePlaceholder: "確認している事象（例：乗っ取られたアカウントで新しい端末からのクレジットカードチャージ）",
    engage: "今すぐ{{label}}を停止する",
    reasonRelease: "解除する理由",
    reasonReleasePlaceholder: "処理を再開しても安全と判断した理由",
    requestRelease: "解除を依頼する（別の責任者の承認が必要）",
    reasonKeep: "停止を続ける理由",
    cancelAuto: "自動解除を取り消す",
    cancellingAuto: "自動解除の取り消し",
  },
} satisfies Messages<typeof en>;

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
    optional: "（任意）",
    releaseAt: "自動で解除する日時（JST）",
    releaseAtHint:
      "空欄のままにすると、セキュリティ責任者2名が解除するまで停止したままです。ここで設定した時刻は後から取り消せますが、早めることはできません。",
  },
  toast: {
    engaged: "「{{label}}」を停止しました。セキュリティ責任者2名が解除するまで、この処理は拒否されます。",
    engagedUntil: "「{{label}}」を{{at}}まで停止しました。この処理は今から拒否されます。",
    staysEngaged: "「{{label}}」はセキュリティ責任者2名が解除するまで停止したままです。",
    releaseRequested: "解除を依頼しました。別のセキュリティ責任者が承認すると処理が再開します。",
    released: "「{{label}}」を解除しました。処理が再開します。",
    rejected: "解除依頼を却下しました。スイッチは停止したままです。",
    withdrawn: "解除依頼を取り下げました。スイッチは停止したままです。",
  },
  admission: {
    title: "ウォレット基盤の確認結果（{{at}}時点）",
    checkAgain: "再確認する",
    intro:
      "お客様のチャージと同じスイッチ確認を、専用のデータベーストランザクション内で実行しています。お金は動きません。",
    topUp: "{{channel}}チャージ：",
    accepted: "受付可",
    refused: "受付不可（{{code}}）",
    customerMessage: {
      TOPUP_SUSPENDED: "お客様には、チャージを一時停止していること、お金は動いていないことが表示されます。",
      TOPUP_SWITCH_STATE_UNAVAILABLE:
        "スイッチの状態を確認できないため、チャージを拒否しています。お客様には、お金は動いていないことが表示されます。",
    },
  },
  channel: {
    CREDIT_CARD: "クレジットカード",
    BANK: "銀行口座",
    CONVENIENCE_CASH: "コンビニ現金",
  },
  history: {
    title: "変更履歴",
    empty: "まだ変更されたスイッチはありません。",
    when: "日時（JST）",
    switch: "スイッチ",
    change: "変更内容",
    by: "実施者",
    why: "理由",
    autoRelease: "自動解除 {{at}}",
    requestedBy: "依頼：{{name}}",
    approvedBy: "承認：{{name}}",
    kind: {
      ENGAGE: "停止",
      RELEASE: "解除（2名承認）",
      AUTO_RELEASE: "自動解除",
      CANCEL_AUTO_RELEASE: "自動解除の取り消し",
    },
  },
  decisions: {
    title: "処理済みの解除依頼",
    decided: "判断日時（JST）",
    outcome: "結果",
    requestedBy: "依頼者・理由",
    decidedBy: "判断者・理由",
    status: {
      PENDING: "承認待ち",
      APPROVED: "承認済み",
      REJECTED: "却下",
      WITHDRAWN: "取り下げ",
      STALE: "無効（スイッチが変更されたため）",
    },
  },
  pickup: {
    none: "スイッチAPIに登録された決済サービスはまだありません。",
    secondsAfter: "変更から{{seconds}}秒後",
    lagging_other:
      "{{count}}個のサービスインスタンスが、{{at}}から有効なバージョン {{version}} をまだ適用していません。",
    stillOn: "{{name}}（v{{version}}のまま）",
    untilEngaged:
      "{{list}}。適用されるまでは、このスイッチで止めている処理を通してしまうおそれがあります。各サービスの担当者に確認してください。",
    untilReleased:
      "{{list}}。適用されるまでは、このスイッチで許可した処理を拒否してしまうおそれがあります。各サービスの担当者に確認してください。",
    pickedUp: "{{total}}サービス中<strong>{{upToDate}}</strong>サービスが適用済み（バージョン {{version}}）",
    service: "サービス",
    instance: "インスタンス",
    applied: "適用バージョン",
    pickedUpAt: "適用日時",
    lastReport: "最終報告",
    notReported: "まだバージョンを報告していません",
    current: "✓ 最新",
    behind: "遅れあり（最新はv{{version}}）",
    silent: "応答なし",
  },
  names: {
    topup_all: { label: "すべてのチャージ", description: "入金元を問わず、すべてのチャージを止めます。" },
    topup_credit_card: {
      label: "クレジットカードチャージ",
      description: "登録済みクレジットカードからのチャージを止めます。",
    },
    topup_bank: { label: "銀行口座チャージ", description: "登録済み銀行口座からのチャージを止めます。" },
    topup_convenience_cash: {
      label: "コンビニ現金チャージ",
      description: "店頭レジでの現金チャージを止めます。",
    },
    signin_new_device: {
      label: "新しい端末からのログイン",
      description: "そのアカウントで使われたことのない端末からのログインを拒否します。",
    },
    reset_self_service: {
      label: "お客様自身によるパスワード再設定",
      description: "お客様がアプリから再設定リンクを請求するのを止めます。",
    },
  },
} satisfies Messages<typeof en>;

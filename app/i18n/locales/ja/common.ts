// 日本語: 全ページ共通（ヘッダー、言語切替、エラーページ、共通語）
import type en from "~/i18n/locales/en/common";
import type { Messages } from "~/i18n/messages";

export default {
  appName: "Firebreak",
  nav: {
    label: "メインメニュー",
    incident: "インシデント",
    accounts: "アカウント",
    incidents: "インシデント一覧",
    policies: "封じ込めポリシー",
    alerts: "アラート",
    cohorts: "対象者抽出",
    killSwitches: "緊急停止",
    approvals: "承認",
    jobs: "一括処理",
    notifications: "通知",
    audit: "監査ログ",
    staff: "スタッフ",
    serviceTokens: "APIトークン",
    riskRules: "リスクルール",
    riskReviews: "保留チャージ",
  },
  role: {
    AGENT: "サポート担当",
    SECURITY_LEAD: "セキュリティ責任者",
    COMPLIANCE: "コンプライアンス",
    ADMIN: "管理者",
  },
  directionControl:
    "見えない文字方向制御文字（{{codePoint}}）。表示上の文字の並びを変えるため、ここでは記号として表示しています。",
  signOut: "サインアウト",
  skipToMain: "本文へスキップ",
  language: {
    switchTo: "表示言語を{{language}}に切り替える",
    name: { ja: "日本語", en: "English" },
    called: { ja: "日本語", en: "英語" },
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
    busy: "現在コンソールが混み合っていて応答できません。変更は行われていません。数秒後にもう一度お試しください。",
    databaseNotAnswering:
      "データベースが応答していません（時間がかかりすぎているか、このページに必要なデータが他の処理でロックされています）。変更は行われていません。1 分ほどしてからもう一度お試しください。続く場合は当番のエンジニアに連絡してください。",
    databaseAway:
      "現在データベースに接続できません。変更は行われていません。数秒後にもう一度お試しください。続く場合は、当番のエンジニアにレディネスプローブ経由で通知されています。",
  },
  uncertainMail: {
    title_other: "確認が必要なメール：{{count}} 件",
    explanation:
      "メール送信ワーカーがメールサーバーへの引き渡し中に停止したため、届いている可能性があります。自動では再送しません。",
    whatToDo:
      "1 件ずつメールサーバーのログで Message-ID を確認してください。サーバーに記録があればそのままにし、なければインシデントの通知ページから再送してください。",
    incident: "{{code}} — 確認待ち {{count}} 件（最も古いもの：{{since}}）",
    noIncident: "インシデントに紐づかないもの — 確認待ち {{count}} 件（最も古いもの：{{since}}）",
    secrets: {
      title: "リンクまたはコードを含むもの：{{count}} 件",
      whatToDo:
        "パスワード再設定リンク、リカバリーコード、またはスタッフのワンタイムリンクを含むメールです。再送はせず、本文はすでに削除しています。届いていないと連絡があった場合は新しいものを発行してください（新しいリンクを発行すると古いリンクは無効になります）。お客さまの場合はアカウントの復旧ページから、スタッフの場合は管理者がメンバーのページから発行します。",
      reset: "{{account}} — パスワード再設定リンク（{{since}} から）",
      code: "{{account}} — リカバリーコード（{{since}} から）",
      staffLink: "{{name}} — ワンタイムサインインリンク（{{since}} から）",
      more: "ほか {{count}} 件",
    },
  },
  crossSiteRefused:
    "拒否しました：このダウンロードは別のサイトから開始されました。Firebreak コンソールから開いてください。",
  // Each permission's name, for the 403 message (its code, e.g. approvals:decide, is nested as approvals.decide).
  permission: {
    console: { view: "コンソールの閲覧" },
    accounts: {
      search: "アカウントの検索",
      view: "アカウントの閲覧",
      freeze: "アカウントの凍結",
      annotate: "アカウントへのメモ",
    },
    cases: { manage: "ケースの管理" },
    cohorts: { build: "対象者の抽出" },
    ledger: { reverse: "決済の取り消し", "reverse-large": "高額決済の取り消し" },
    recovery: { "force-reset": "パスワードの強制リセット", "restore-contact": "連絡先の復元" },
    notify: { send: "お知らせの送信" },
    bulk: { run: "一括処理の実行" },
    killswitch: { view: "緊急停止の閲覧", change: "緊急停止の操作", approve: "緊急停止解除の承認" },
    approvals: { decide: "承認の判断" },
    audit: { view: "監査ログの閲覧", export: "監査ログの書き出し", verify: "監査ログの検証" },
    staff: { manage: "スタッフの管理" },
    "service-tokens": { manage: "APIトークンの管理" },
    incidents: { view: "インシデントの閲覧" },
    "breach-report": { manage: "漏えい等報告の管理" },
    mail: { "view-sink": "開発用メール受信箱の閲覧" },
    alerts: { view: "アラートの閲覧", manage: "アラートの対応" },
    policies: { manage: "封じ込めポリシーの管理" },
    risk: {
      view: "リスクルールの閲覧",
      draft: "リスクルールの作成",
      publish: "リスクルールの公開",
      review: "保留チャージの審査",
    },
  },
  forbidden: "現在のロール（{{role}}）ではこの操作はできません。「{{permission}}」権限が必要です。",
  empty: "—",
  dismiss: "閉じる",
  platform: { ios: "iOS", android: "Android" },
  listSeparator: "、",
} satisfies Messages<typeof en>;

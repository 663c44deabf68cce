// 日本語: お客様通知
import type en from "~/i18n/locales/en/notify";
import type { Messages } from "~/i18n/messages";

export default {
  devMail: {
    pageTitle: "送信済みメール（開発用）",
    title: "送信済みメール（開発用の受信箱）",
    intro:
      "SMTPサーバーが設定されていないため、ワーカーはプロセス内の受信箱に配信します。直近500通をコンソールの再起動までメモリに保持します。本番ビルドには受信箱も閲覧画面もありません。",
    empty: "まだ受信したメールはありません。",
    received: "受信日時",
    to: "宛先",
    subject: "件名",
    size: "サイズ",
    noSubject: "（件名なし）",
    kilobytes: "{{size}} KB",
    back: "送信済みメール",
    from: "差出人：{{from}}",
    toEnvelope: "宛先：{{to}}（エンベロープ：{{envelope}}）",
    receivedAt: "受信日時：{{at}}",
    htmlPart: "HTMLパート",
    noHtml: "HTMLパートはありません。",
  },
  devSms: {
    pageTitle: "送信済みSMS（開発用）",
    title: "送信済みSMS（開発用の受信箱）",
    intro:
      "SMSプロバイダーが設定されていないため、SMSはコンソールの再起動までメモリに保持されます（直近500件）。本番環境には受信箱も閲覧画面もありません。",
    empty: "まだ送信したSMSはありません。",
    sent: "送信日時",
    to: "宛先",
    text: "本文",
  },
  status: {
    pageTitle: "通知の状況",
    notFound: "該当するインシデントはありません",
    breadcrumb: "通知",
    title: "通知の状況：{{title}}",
    delivering: "配信中… このページは自動で更新されます。",
    idle: "配信中のメッセージはありません。",
    unreachable:
      "{{since}}からメールサーバーに接続できません。配信は一時停止し、自動で再試行します。メッセージが失われることはありません。直近のエラー：{{error}}",
    noCampaigns: "このインシデントについて、まだ通知は送信されていません。",
    recipients: "宛先（{{total}}件）",
    notice: "通知",
    everyNotice: "すべての通知",
    status: "状態",
    everyStatus: "すべての状態",
    filter: "絞り込む",
    customer: "お客様",
    detail: "詳細",
    attempts: "試行回数",
    retryAt: "{{at}}に再試行：{{error}}",
    pages: "ページ",
    previous: "前へ",
    next: "次へ",
    pageOf: "{{pages}}ページ中{{page}}ページ目",
  },
  noticeStatus: {
    QUEUED: "送信待ち",
    SENDING: "送信中",
    SENT: "送信済み",
    FAILED: "失敗",
    SKIPPED: "未送信",
    UNCERTAIN: "要確認",
  },
  noticeStatusHelp: {
    QUEUED: "メール送信ワーカー（または次回の再試行）を待っています。",
    SENDING: "メールサーバーが受信中です。",
    SENT: "メールサーバーが受け付けました。",
    FAILED: "メールサーバーに完全に拒否されたか、すべての再試行が失敗しました。",
    SKIPPED: "送信していません。理由をご確認ください。",
    UNCERTAIN:
      "メールサーバーへの受け渡し中にワーカーが停止したため、届いている可能性があります。自動では再送しません。メールサーバーのログで Message-ID を確認してから、再送するかそのままにしてください。",
  },
  template: {
    "account-secured": "アカウント保護のお知らせ",
    "charges-reversed": "取消（返金）のお知らせ",
    "password-reset": "パスワード再設定リンク",
    "recovery-code": "リカバリーコード",
    "incident-update": "インシデントの続報",
  },
  resend: {
    uncertainHelp:
      "メールサーバーのログでこの Message-ID が受け付けられていないと確認できた場合のみ再送してください。お客様にすでに届いている可能性があります。",
    help: "お客様の現在の確認済みアドレスへ、もう一度送信待ちに入れます。",
    uncertain: "未達：再送する",
    resend: "再送する",
  },
  campaign: {
    summary: "{{percent}}% 完了・宛先 {{total}}件",
    inFlight: "・配信中 {{n}}件",
    progress: "{{label}}の進捗",
  },
  retry: {
    noSuchMessage: "該当するメッセージはありません。",
    queued: "メッセージを再び送信待ちに入れました。",
  },
} satisfies Messages<typeof en>;

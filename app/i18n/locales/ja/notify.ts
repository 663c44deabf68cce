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
} satisfies Messages<typeof en>;

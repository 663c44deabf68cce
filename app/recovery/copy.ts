// The recovery page's new wording, English and Japanese side by side, until the console's i18n resources land: then
// these move into them in one step. The page renders English today, like the rest of the recovery page.
export const RECOVERY_COPY = {
  codeHeading: { en: "2. Prove control of a known-good contact", ja: "2. 信頼できる連絡先の所有を確認" },
  codeIntro: {
    en: "Send a one-time code to the contact the customer had before the first suspicious change, and ask the caller to read it back. Birth date and card digits are on your screen, so they never suffice alone.",
    ja: "最初の不審な変更より前の連絡先にワンタイムコードを送り、お客様に読み上げていただきます。生年月日やカード下4桁は画面に表示されているため、それだけでは本人確認になりません。",
  },
  sendByEmail: { en: "Send code by email to", ja: "メールでコードを送信:" },
  sendBySms: { en: "Send code by SMS to", ja: "SMSでコードを送信:" },
  noKnownGood: {
    en: "No known-good contact on file: escalate to a security lead.",
    ja: "信頼できる連絡先がありません。セキュリティ責任者にエスカレーションしてください。",
  },
  codeLabel: { en: "Code the caller reads out", ja: "お客様が読み上げたコード" },
  verify: { en: "Check the code", ja: "コードを確認" },
  codeSent: { en: "Code sent to", ja: "コードを送信しました:" },
  codeVerified: {
    en: "Code confirmed: the caller controls the known-good contact. You can now restore, or ask a lead to keep the current contact.",
    ja: "コードを確認しました。お客様は信頼できる連絡先をお持ちです。連絡先の復元、または現在の連絡先の維持を責任者に依頼できます。",
  },
  keepIntro: {
    en: "The caller says they made this change themselves. After a passed identity check and a confirmed code, ask a security lead (not you) to approve keeping",
    ja: "お客様ご自身が変更したとのことです。本人確認とコード確認の後、現在の連絡先の維持を自分以外のセキュリティ責任者に承認依頼します:",
  },
  keepSubmit: { en: "Ask a security lead to keep it", ja: "責任者に維持の承認を依頼" },
  keepRequested: {
    en: "Request sent: a security lead other than you must approve it before any link goes to this contact.",
    ja: "依頼しました。このアドレスにリンクを送るには、あなた以外のセキュリティ責任者の承認が必要です。",
  },
} as const;

export type RecoveryCopyKey = keyof typeof RECOVERY_COPY;

export function recoveryText(key: RecoveryCopyKey): string {
  return RECOVERY_COPY[key].en;
}

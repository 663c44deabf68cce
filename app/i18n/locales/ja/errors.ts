// 日本語: DomainError のコードごとのメッセージ
import type en from "~/i18n/locales/en/errors";
import type { Messages } from "~/i18n/messages";

export default {
  PERMISSION_DENIED: "この操作を行う権限がありません。",
  INVALID_LANGUAGE: "日本語または英語を選んでください。",
  FOUR_EYES_REQUIRED: "このルールはあなたが作成したため、別のセキュリティリーダーが公開する必要があります。",
  BACKTEST_REQUIRED: "公開する前にこの版をバックテストしてください。",
  RULE_NOT_DRAFT: "公開できるのは下書きだけです。",
  RULE_NOT_ACTIVE: "このルールは稼働していません。",
  RULE_NOT_FOUND: "該当するルールはありません。",
  RULE_VERSION_CONFLICT: "同時に別の版が作成されました。もう一度お試しください。",
  RULE_PUBLISH_CONFLICT: "同時に別の版が公開されました。",
  REVIEW_ALREADY_DECIDED: "このチャージは既に他の担当者が判断しました。",
  // The account view and its cases.
  ACCOUNT_CLOSED: "このアカウントは解約済みのため、ここでは状態を変更できません。",
  INVALID_STATUS_CHANGE: "不明な状態変更です。",
  CASE_NOT_FOUND: "該当する案件はありません。",
  CASE_EXISTS: "このアカウントには、そのインシデントの案件がすでにあります。",
  REASON_REQUIRED: "案件を未対応に戻す理由を入力してください。",
  ASSIGNEE_CANNOT_MANAGE_CASES: "このスタッフの役割では案件を担当できません。",
  LEARNED_IN_FUTURE: "事態を知った日時に未来の日時は指定できません。",
  REPORT_EXISTS: "このインシデントにはこの種類の報告がすでにあります。その報告を開き、新しい版として保存してください。",
  REPORT_CHANGED:
    "あなたが第{{base}}版を開いた後に、別の担当者が第{{latest}}版を保存しました。再読み込みしてから編集し直してください。",
  REPORT_NOT_FOUND: "該当する漏えい等報告はありません。",
  STEP_UP_REQUIRED: "ご本人確認のため、認証アプリの新しいコードを入力してから、もう一度お試しください。",
} satisfies Messages<typeof en>;

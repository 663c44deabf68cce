// 日本語: 入力チェックのメッセージ
import type en from "~/i18n/locales/en/validation";
import type { Messages } from "~/i18n/messages";

export default {
  required: "入力してください。",
  invalidType: "正しい値を入力してください。",
  invalidEnum: "選択肢から選んでください。",
  tooShort_other: "{{count}}文字以上で入力してください。",
  tooLong_other: "{{count}}文字以内で入力してください。",
  tooSmall: "{{minimum}}以上の値を入力してください。",
  tooBig: "{{maximum}}以下の値を入力してください。",
  notInteger: "整数で入力してください。",
  invalidEmail: "メールアドレスを入力してください。",
  invalidUuid: "識別子の形式が正しくありません。",
  invalidDate: "正しい日時を入力してください。",
  controlCharacters: "制御文字（NUL など）を取り除いてください。",
  directionControls: "文字の向きを変える見えない文字を取り除いてください。",
  lineBreak: "改行を含めず、1行で入力してください。",
  malformedText: "壊れた文字が含まれています。",
  formValueTooLong: "入力が長すぎます。",
  unreadableForm: "フォームを読み取れませんでした。ページを再読み込みしてやり直してください。",
  fieldRefused: "項目「{{field}}」を受け付けられませんでした：{{problem}}何も変更していません。",
  invalid: "入力内容が正しくありません。",
  reasonTooLong: "理由は500文字以内で入力してください。",
} satisfies Messages<typeof en>;

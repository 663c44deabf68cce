// 日本語: 管理（スタッフ、APIトークン）
import type en from "~/i18n/locales/en/admin";
import type { Messages } from "~/i18n/messages";

export default {
  staff: {
    pageTitle: "スタッフ",
    title: "スタッフ",
    intro: "コンソールにサインインできるスタッフの一覧です。ここでの変更はすべて監査ログに記録されます。",
    name: "氏名",
    role: "ロール",
    status: "状態",
    sessions: "セッション",
    lastSignIn: "最終サインイン",
    you: "（ご自身）",
  },
  status: {
    active: "有効",
    invited: "招待中",
    enrolling: "認証アプリ未設定",
    locked: "ロック中",
    disabled: "無効",
  },
  roleDescription: {
    AGENT: "アカウントの検索・閲覧、凍結、基準額までの取消、パスワードの強制リセット、お客様通知",
    SECURITY_LEAD: "サポート担当の操作すべてに加え、緊急停止、承認、一括処理",
    COMPLIANCE: "全画面の閲覧のみ。監査ログとそのエクスポート",
    ADMIN: "スタッフ管理のみ（お金、スイッチ、お客様データは扱えません）",
  },
  invite: {
    linkTitle: "{{email}} への招待",
    linkIntro:
      "このワンタイムリンクを、信頼できる経路で本人に送ってください。{{until}}まで1回だけ使用でき、再表示はできません。",
    title: "スタッフを招待する",
    intro: "招待されたスタッフはワンタイムリンクからパスワードを設定し、初回サインイン時に認証アプリを設定します。",
    stepUpWhat: "スタッフの招待",
    email: "業務用メールアドレス",
    name: "氏名",
    role: "ロール",
    chooseRole: "ロールを選択…",
    submit: "招待リンクを作成する",
  },
} satisfies Messages<typeof en>;

// 日本語: サインイン・認証アプリ登録
import type en from "~/i18n/locales/en/auth";
import type { Messages } from "~/i18n/messages";

export default {
  panel: { product: "Firebreak" },
  signIn: {
    title: "コンソールにサインイン",
    pageTitle: "サインイン",
    description: "社員専用です。認証アプリが必要です。",
    expired:
      "セッションが終了しました（15分間操作がない場合、最長12時間、または管理者による終了）。続けるには再度サインインしてください。",
    unsent:
      "終了したときに送信しようとした内容は保存されていません。サインイン後は元の画面に戻りますので、もう一度入力してください。",
    email: "業務用メールアドレス",
    password: "パスワード",
    checking: "確認中…",
    continue: "次へ",
    forgot:
      "パスワードを忘れた場合や認証アプリを紛失した場合は、管理者に新しいワンタイムリンクの発行を依頼してください。",
    rejected:
      "メールアドレスまたはパスワードが正しくありません。10回失敗するとアカウントは30分間ロックされます（管理者はすぐに解除できます）。",
    throttled_other:
      "お使いのネットワークからのサインイン失敗が多すぎます。{{count}}分待ってから再度お試しください。ロックされた場合は管理者にご連絡ください。",
  },
  totp: {
    title: "確認コードを入力",
    pageTitle: "確認コード",
    signingInAs:
      "<strong>{{email}}</strong> としてサインインしています。認証アプリを開き、Firebreak の6桁の確認コードを入力してください。",
    verify: "確認してサインイン",
    useRecovery: "スマートフォンを紛失した場合：リカバリーコードを使う",
  },
  recovery: {
    title: "リカバリーコードを使う",
    pageTitle: "リカバリーコード",
    signingInAs:
      "<strong>{{email}}</strong> としてサインインしています。登録時に保存した10個のコードは、それぞれ1回だけ使えます。",
    label: "リカバリーコード",
    verify: "確認してサインイン",
    useTotp: "認証アプリを使う",
    signedIn_other:
      "リカバリーコードでサインインしました（残り {{count}} 個）。スマートフォンを紛失した場合は、管理者に認証アプリのリセットを依頼してください。",
  },
  enroll: {
    title: "認証アプリの設定",
    pageTitle: "認証アプリの設定",
    description:
      "Firebreak のすべてのアカウントに二要素認証が必要です。<strong>{{email}}</strong> としてサインインしています。",
    scan: "認証アプリ（Google Authenticator、Microsoft Authenticator、1Password など）を開き、このコードを読み取ってください：",
    qrAlt: "認証アプリで読み取るQRコード",
    cannotScan: "読み取れない場合",
    manualKey: "次のキーで手動でアカウントを追加してください（時間ベース、6桁、30秒ごと）：",
    enterCode: "アプリに表示されている6桁のコードを入力してください。",
    confirm: "確認して完了",
  },
  code: { label: "確認コード" },
  stepUp: {
    needed: "{{what}}には認証アプリの確認コードの再入力が必要です。",
    confirm: "再認証する",
    pageTitle: "本人確認",
    description: "この操作には認証アプリの新しい確認コードが必要です。確認は5分間有効です。",
    submit: "確認する",
    back: "キャンセル",
    blocked: "確認コードの誤りが多すぎます。{{until}}まで本人確認はできません。",
    confirmed: "本人確認が完了しました。5分間有効です。",
  },
  signedOut: "サインアウトしました。",
  cancel: "中止してサインアウト",
  secondFactor: {
    blocked:
      "確認コードの誤りが多すぎます。{{until}}まで二段階目の認証はできません。すぐに解除するには管理者に依頼してください。",
    lockedUntilUnlocked:
      "確認コードの誤りが続いたため、管理者が解除するまでサインインできません。管理者に解除を依頼し、ご自身で入力したコードでなければその旨も伝えてください。",
    replayed: "このコードは使用済みです。認証アプリに次のコードが表示されるまでお待ちください（最大30秒）。",
    wrongTotp: "コードが正しくありません。スマートフォンの時刻が正しいか確認し、現在のコードを入力してください。",
    wrongRecovery: "リカバリーコードが正しくないか、使用済みです。",
  },
  passwordPolicy: {
    tooShort: "パスワードは{{min}}文字以上にしてください。",
    tooLong: "パスワードは{{max}}文字以内にしてください。",
    tooCommon: "このパスワードはよく使われているため使えません。別のものを選んでください。",
    repeatedCharacter: "同じ文字の繰り返しはパスワードとして使えません。",
    containsEmail: "パスワードにメールアドレスを含めないでください。",
  },
  validation: {
    newPasswordRequired: "パスワードを入力してください。",
    repeatPassword: "確認のためもう一度パスワードを入力してください。",
    passwordsDiffer: "パスワードが一致しません。",
    auditReasonRequired: "理由を入力してください（監査証跡に記録されます）。",
    auditReasonMin: "理由を簡潔に入力してください（監査証跡に記録されます）。",
    inviteEmailRequired: "相手の業務用メールアドレスを入力してください。",
    nameRequired: "相手の名前を入力してください。",
    nameTooLong: "名前は100文字以内で入力してください。",
    chooseRole: "ロールを選択してください。",
    emailRequired: "業務用メールアドレスを入力してください。",
    notEmail: "メールアドレスの形式が正しくありません。",
    passwordRequired: "パスワードを入力してください。",
    passwordTooLong: "パスワードが長すぎます。",
    codeRequired: "認証アプリの6桁のコードを入力してください。",
    codeDigits: "コードは6桁の数字です。",
    recoveryRequired: "リカバリーコードを1つ入力してください。",
    notRecoveryCode: "リカバリーコードではありません。",
    recoveryShape: "リカバリーコードは abcd-efgh-ijkl-mnop の形式です。",
  },
  recoveryCodes: {
    pageTitle: "リカバリーコード",
    goneTitle: "リカバリーコード",
    gone: "リカバリーコードは認証アプリの設定直後に一度だけ表示されます。保存しなかった場合は、管理者に認証アプリのリセットを依頼し、設定をやり直してください。",
    continue: "コンソールへ進む",
    fileHeading: "Firebreak リカバリーコード（各コードは1回のみ使用可能）",
    title: "リカバリーコードを保存してください",
    description:
      "スマートフォンを紛失した場合、これらのコードでそれぞれ1回サインインできます。表示されるのは今回限りです。パスワードマネージャーに保存するか、印刷して保管してください。",
    download: "テキストファイルでダウンロード",
    saved: "保存しました — コンソールへ進む",
  },
  invite: {
    pageTitle: "パスワードの設定",
    unusableTitle: "このリンクは使用できません",
    unusable: "リンクの有効期限が切れているか、すでに使用されています。管理者に新しいリンクの送付を依頼してください。",
    welcome: "{{name}}さん、ようこそ",
    description:
      "<strong>{{email}}</strong>（{{role}}）のパスワードを設定してください。このリンクは{{until}}まで、1回だけ使用できます。次に認証アプリを設定します。",
    newPassword: "新しいパスワード",
    passwordHint: "{{min}}文字以上。複数の単語をつなげたパスフレーズがおすすめです。",
    repeat: "パスワード（確認用）",
    submit: "パスワードを設定して次へ",
  },
  resetPassword: {
    pageTitle: "新しいパスワードの設定",
    doneTitle: "パスワードを変更しました",
    done: "会員番号 <strong>{{displayId}}</strong> と新しいパスワードでウォレットアプリにサインインしてください。安全のため、すべての端末からサインアウトしました。アプリで認証アプリの設定を求められた場合は、画面の手順に従って設定してください。設定しないとアカウントをご利用いただけません。",
    unusableTitle: "このリンクは使用できません",
    busyTitle: "少し時間をおいてお試しください",
    busy: "ただいま大変混み合っています。何も変更されていません。少し時間をおいてからもう一度お試しください。",
    title: "新しいパスワードの設定",
    description: "会員番号 <strong>{{displayId}}</strong> のお客様。このリンクは{{until}}まで、1回だけ使用できます。",
    newPassword: "新しいパスワード",
    passwordHint: "{{min}}文字以上。複数の単語をつなげたフレーズがおすすめです。",
    repeat: "新しいパスワード（確認用）",
    submit: "新しいパスワードを設定する",
    linkProblem: {
      RESET_LINK_INVALID:
        "この再設定リンクは無効です。メールに記載されたリンクを最後まで省略せずに開くか、新しいリンクをご請求ください。",
      RESET_LINK_WRONG_ACCOUNT: "この再設定リンクは別のアカウントのものです。変更は行われていません。",
      RESET_LINK_USED:
        "この再設定リンクは使用済みです。ご自身で新しいパスワードを設定していない場合は、すぐにサポートへお電話ください。",
      RESET_LINK_SUPERSEDED:
        "この再設定リンクは新しいリンクに置き換えられました。最新のメールのリンクをお使いください。",
      RESET_LINK_EXPIRED:
        "この再設定リンクは {{at}} に有効期限が切れました。アプリから新しいリンクをご請求いただくか、サポートへお電話ください。",
      ACCOUNT_CLOSED: "このアカウントは解約済みのため、パスワードを再設定できません。",
      RESET_SUSPENDED: "アプリからのパスワード再設定は一時的に停止しています。サポートへお電話ください。",
      RESET_SWITCH_STATE_UNAVAILABLE:
        "安全設定を確認できないため、現在アプリからのパスワード再設定を受け付けていません。しばらくしてからお試しください。",
      RESET_LINK_THROTTLED:
        "このネットワークから無効な再設定リンクが何度も試されました。{{at}} 以降にもう一度お試しいただくか、サポートへお電話ください。",
    },
  },
} satisfies Messages<typeof en>;

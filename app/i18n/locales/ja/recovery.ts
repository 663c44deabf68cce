// 日本語: アカウント復旧（本人確認、連絡先の復元、パスワードの強制リセット）
import type en from "~/i18n/locales/en/recovery";
import type { Messages } from "~/i18n/messages";

export default {
  pageTitle: "アカウント復旧",
  title: "アカウント復旧 · {{name}}",
  unknownAction: "不明な操作です。",
  accountStatus: { ACTIVE: "利用中", FROZEN: "凍結中", COMPROMISED: "不正利用あり", CLOSED: "解約済み" },
  flags: {
    mustChangePassword: "パスワード再設定が必要",
    mustEnrollTwoFactor: "2段階認証の登録が必要",
    twoFactorEnrolled: "2段階認証 登録済み",
    liveSessions_other: "有効なセッション {{count}} 件",
    trustedDevices_other: "信頼済み端末 {{count}} 台",
  },
  destination: {
    closed: "このアカウントは解約済みのため、リセットできません。",
    unverified:
      "登録メールアドレスが未確認のため、リンクは送信されません。セッションと端末のサインアウトは行われます。",
    underReview:
      "登録メールアドレス（{{email}}）は {{at}} の不審な変更後のものであるため、まだリンクは送信されません。信頼できる以前のアドレスを復元するか、現在のアドレスの維持をセキュリティ責任者に承認してもらってください。セッションと端末のサインアウトは行われます。",
    verified: "リンクは確認済みの登録メールアドレス {{email}} に送信されます。他のアドレスは指定できません。",
  },
  contact: {
    title: "登録中の連絡先",
    email: "メールアドレス",
    phone: "電話番号",
    verified: "確認済み",
    unverified: "未確認",
    underReview:
      "メールアドレスが {{at}} に {{from}} から {{to}} へ変更されています{{newDevice}}。この変更は未確認です。攻撃者のアドレスである可能性があるため、信頼できる以前のアドレスを復元するか、セキュリティ責任者が維持を承認するまで、リセットリンクは送信されません。",
    newDevice: "（このアカウントで初めて使われた端末から）",
  },
  identity: {
    heading: "1. お客様の本人確認",
    passed: "確認済み",
    failed: "不一致",
    facts: "生年月日 {{birthDate}}、直近のチャージ {{lastTopUp}}、カード {{cardLast4}}",
    fact: { matched: "一致", mismatched: "不一致", "not asked": "未確認" },
    anotherAgent: "（別の担当者）",
    used: "・使用済み",
    usableNow: "・現在有効",
    intro:
      "お客様に2つ以上の質問をしてください。回答は登録情報と照合するだけで保存されず、どの項目が一致したかだけが案件に記録されます。チャージとカードは {{at}} 時点（不審な変更の前）の情報で照合します。",
    birthDate: "生年月日",
    lastTopUp: "直近のチャージ額（円）",
    cardLast4: "カード番号下4桁",
    submit: "本人確認の結果を記録",
  },
  code: {
    heading: "2. 信頼できる連絡先の所有を確認",
    intro:
      "最初の不審な変更より前の連絡先に確認コードを送り、お客様に読み上げていただきます。生年月日やカード下4桁は画面に表示されているため、それだけでは本人確認になりません。",
    sendByEmail: "メールでコードを送信: {{to}}",
    sendBySms: "SMSでコードを送信: {{to}}",
    noKnownGood: "信頼できる連絡先がありません。セキュリティ責任者にエスカレーションしてください。",
    label: "お客様が読み上げたコード",
    verify: "コードを確認",
    sentTo: "{{at}}・{{channel}}で {{to}} に送信・",
    channel: { EMAIL: "メール", PHONE: "SMS" },
    state: {
      WAITING: "確認待ち",
      VERIFIED: "確認済み",
      EXPIRED: "期限切れ",
      SUPERSEDED: "再送により無効",
      USED: "使用済み",
    },
  },
  restore: {
    heading: "3. 乗っ取られた連絡先の復元",
    ownChange: "お客様ご自身が変更された場合",
    keepLine: "{{at}}・{{value}} の維持・",
    keepStatus: { PENDING: "承認待ち", APPROVED: "承認済み", REJECTED: "却下" },
    yours: "（あなたの依頼: 別の責任者が判断します）",
    none: {
      EMAIL: "復元できる以前の確認済みメールアドレスはありません。",
      PHONE: "復元できる以前の確認済み電話番号はありません。",
    },
    needCheck: "先に本人確認（一致）を記録し、確認コードを確認してください。どちらかが欠けると復元は拒否されます。",
    legend: { EMAIL: "以前のメールアドレスに戻す", PHONE: "以前の電話番号に戻す" },
    beforeChange: "（{{at}} の変更前）",
    lastKnownGood: " — 最後に信頼できた値",
    submit: { EMAIL: "メールアドレスを復元", PHONE: "電話番号を復元" },
  },
  keep: {
    intro:
      "お客様ご自身が変更したとのことです。本人確認とコード確認の後、現在の連絡先の維持を自分以外のセキュリティ責任者に承認依頼します:",
    submit: "責任者に維持の承認を依頼",
  },
  reset: {
    heading: "4. パスワードの強制リセット",
    intro:
      "すべてのセッションと端末をサインアウトし、次回サインイン時に新しいパスワードの設定を求めます。以前のリンクは無効になり、1回限り・30分間有効な新しいリンクに置き換わります。",
    requireTwoFactor: "次回サインイン時に認証アプリ（2段階認証）を必須にし、登録済みのものは削除する",
    suspectAuthenticator:
      "登録済みの認証アプリは {{at}} に登録されたもので、不審な期間内です。攻撃者が登録した可能性があるため、削除する設定にしています（お客様ご本人の登録と確認できた場合のみ外してください）。",
    submit: "パスワードを強制リセット",
    stepUpWhat: "この1時間に他のお客様{{count}}名以上のパスワードを強制リセットしました。さらに強制リセットする",
    alreadySubmitted:
      "このリセットはこの画面からすでに送信されています（二度目のクリックまたはフォームの再送信）。再度のリセットは行わず、2通目のリンクも送っていません。実行されたリセットは下の画面で確認できます。",
  },
  reason: "理由（監査ログに記録されます）",
  validation: {
    chooseCustomer: "お客様を選択してください。",
    noSuchCustomer: "該当するお客様がいません。",
    birthDateFormat: "生年月日は YYYY-MM-DD の形式で入力してください。",
    wholeYen: "金額は1円単位の整数で入力してください。",
    amountTooLarge: "その金額はどのチャージよりも大きい金額です。",
    cardLast4: "カード番号の下4桁を入力してください。",
    twoFacts: "生年月日、最後のチャージ金額、カード下4桁のうち2つ以上を発信者に確認してください。",
    valueMissing: "現在の値がありません。ページを再読み込みしてください。",
    reloadForm: "このフォームは古くなっています。ページを再読み込みしてからやり直してください。",
    alreadySent:
      "このフォームはこのページから送信済みで、その時点で実行されています。もう一度は実行していません。ページを再読み込みして確認してください。",
    chooseChange: "取り消す変更を選択してください。",
    noSuchChange: "該当する変更がありません。",
    chooseField: "メールアドレスか電話番号を選択してください。",
    chooseChannel: "メールかSMSを選択してください。",
    enterCode: "発信者が読み上げるコードを入力してください。",
    codeDigits: "コードは6桁の数字です。",
    approveOrReject: "承認または却下を選択してください。",
    chooseRequest: "依頼を選択してください。",
    noSuchRequest: "該当する依頼がありません。",
    chooseCohort: "対象者抽出を選択してください。",
    enterNewPassword: "新しいパスワードを入力してください。",
    passwordTooLong: "128文字以内で入力してください。",
    repeatNewPassword: "確認のため新しいパスワードをもう一度入力してください。",
    passwordsDiffer: "2つのパスワードが一致しません。",
    sayWhy: "理由を入力してください（監査ログに記録されます）。",
    sayWhyMin: "理由を5文字以上で入力してください（監査ログに記録されます）。",
    reasonTooLong: "理由は500文字以内で入力してください。",
  },
  links: {
    title: "リセットリンク",
    none: "リセットリンクはまだ送信されていません。",
    sent: "送信日時（日本時間）",
    to: "送信先",
    askedBy: "依頼元",
    validUntil: "有効期限",
    state: "状態",
    origin: { STAFF_FORCED: "担当者", SELF_SERVICE: "お客様" },
    linkState: { ACTIVE: "有効", USED: "使用済み", EXPIRED: "期限切れ", SUPERSEDED: "無効（再発行済み）" },
  },
  history: {
    none: "連絡先の変更履歴はありません。",
    when: "日時（日本時間）",
    field: "項目",
    from: "変更前",
    to: "変更後",
    by: "変更元",
    deviceIp: "端末 / IP",
    fieldName: { EMAIL: "メールアドレス", PHONE: "電話番号" },
    verified: "確認済み",
    neverVerified: "未確認のまま",
    lastKnownGood: "最後に信頼できた値",
    suspect: "最近の未確認の変更",
    source: {
      APP: "お客様のアプリ",
      SUPPORT: "サポート窓口",
      STAFF_RESTORE: "担当者が復元",
      STAFF_CONFIRM: "担当者が確認",
    },
    firstSeen: "初回利用 {{at}}",
    revoked: "・無効化済み",
  },
  toast: {
    sentOnce: "このフォームは二度送信されましたが、実行したのは1回だけです。最初の送信の結果を表示しています。",
    checkPassed: "本人確認が完了しました（{{facts}}）。{{until}} まで連絡先を復元できます。",
    checkFailed: "本人確認が一致しませんでした（{{facts}}）。このお客様について何も復元しないでください。",
    restoredEMAIL:
      "メールアドレスを {{value}} に復元しました。続けてパスワードを強制リセットしてください。リンクはこのアドレスに送信されます。",
    restoredPHONE: "電話番号を {{value}} に復元しました。続けてパスワードを強制リセットしてください。",
    codeSent: "コードを送信しました: {{to}}",
    codeVerified:
      "コードを確認しました。お客様は信頼できる連絡先をお持ちです。連絡先の復元、または現在の連絡先の維持を責任者に依頼できます。",
    keepRequested: "依頼しました。この連絡先にリンクを送るには、あなた以外のセキュリティ責任者の承認が必要です。",
    resetForced:
      "パスワードを強制リセットしました。セッション {{sessions}} 件と端末 {{devices}} 台をサインアウトしました{{twoFactor}}。",
    twoFactorRequired: "（2段階認証の登録が必要）",
    linkSent: "リンクを {{to}} に送信しました（有効期限 {{until}}）。",
    held: {
      NO_VERIFIED_EMAIL:
        "登録メールアドレスが未確認のため、リセットリンクは送信されませんでした。確認済みの連絡先を復元してから送信してください。",
      CONTACT_UNDER_REVIEW:
        "登録メールアドレスが最近変更され、その変更が未確認のため、リセットリンクは送信されませんでした。以前のアドレスを復元するか、お客様と現在のアドレスを確認してから送信してください。",
      MAIL_NOT_QUEUED:
        "リセットリンクは送信されていません。登録済みのアドレスが送信キューに拒否されました（{{reason}}）。",
    },
  },
  cohortReset: {
    started_other: "{{count}} 件のアカウントの強制リセットを開始しました。",
    alreadyStarted: "このリセットはすでに開始されています。進行状況を表示します。",
    title: "パスワードの一括強制リセット",
    accounts_other:
      "{{count}} 件のアカウント: すべてのセッションと端末をサインアウトし、新しいパスワードの設定を求めます。",
    links: "{{count}} 件には確認済みの登録メールアドレスに1回限りのリンク（30分間有効）を送ります。",
    underReview:
      "{{count}} 件は最近の未確認のメールアドレス変更があるため、担当者が復元または確認するまでリンクを保留します。",
    noVerifiedEmail: "{{count}} 件は確認済みのメールアドレスがないため、リンクを送りません。",
    closed: "{{count}} 件は解約済みのため対象外です。",
    needsStepUp: "一括リセットには再認証（新しい確認コード）が必要です。",
    confirmItsYou: "再認証する",
    requireTwoFactor: "次回サインイン時に認証アプリ（2段階認証）を必須にする",
    submit: "{{count}} 件を強制リセット",
    codeLabel: "この一括リセットの認証コード",
    codeHelp:
      "この規模のリセットには、ここで新しいコードの入力が必要です。この対象者抽出のリセットの確認にのみ使われます。",
  },
  keepRequests: {
    title: "不審な変更後の連絡先の維持依頼",
    intro:
      "お客様は信頼できる以前の連絡先の所有を確認済みで、新しい連絡先もご自身のものだと申告しています。承認すると、新しい連絡先にリセットリンクが送られるようになります。担当者の理由に納得できる場合のみ承認してください。",
    none: "承認待ちの依頼はありません。",
    you: "{{name}}（あなた）",
    asks: "{{at}}・{{who}} が{{field}} ",
    field: { EMAIL: "メールアドレス", PHONE: "電話番号" },
    of: " の維持を依頼（{{displayId}} · {{name}}）:「{{reason}}」",
    ownRequest: "自分の依頼は別のセキュリティ責任者が判断します。",
    approve: "承認",
    reject: "却下",
  },
} satisfies Messages<typeof en>;

// 日本語: DomainError のコードごとのメッセージ
import type en from "~/i18n/locales/en/errors";
import type { Messages } from "~/i18n/messages";

export default {
  PERMISSION_DENIED: "この操作を行う権限がありません。",
  SESSION_ENDED: "セッションが終了したか、その間にアカウントが変更されました。もう一度サインインしてください。",
  INVALID_LANGUAGE: "日本語または英語を選んでください。",
  FOUR_EYES_REQUIRED: "このルールはあなたが作成したため、別のセキュリティ責任者が公開する必要があります。",
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
  // Staff administration, sign-in set-up and the staff directory.
  GRANT_REASON_REQUIRED: "理由を3〜500文字で入力してください（監査ログに記録されます）。",
  GRANT_ALREADY_PENDING: "この内容の申請がすでに別の管理者の承認を待っています。先に承認か却下をしてください。",
  GRANT_NOT_FOUND: "該当する申請はありません。",
  GRANT_NOT_PENDING: "この申請はすでに判断されたか、失効しています。",
  GRANT_EXPIRED: "この申請は失効しました。付与がまだ必要なら、改めて申請してください。",
  GRANT_SELF_APPROVAL: "ご自身の申請です。別の管理者が承認する必要があります。",
  GRANT_APPROVER_NOT_ADMIN: "付与を承認できるのは有効な管理者だけです。",
  GRANT_REQUESTER_INACTIVE: "申請した管理者はすでに有効な管理者ではありません。却下してください。",
  GRANT_STALE: "申請の後にこのメンバーのロールまたは状態が変わりました。却下して、改めて申請してください。",
  REQUESTER_NO_LONGER_ENTITLED:
    "申請したメンバーは無効化されたか、申請に必要な権限を持たなくなりました。承認できません。却下し、必要であれば申請できる担当者が改めて申請してください。",
  STAFF_NOT_FOUND: "該当するスタッフはいません。",
  STAFF_SELF_CHANGE: "自分自身のアカウントにはこの操作はできません。別の管理者に依頼してください。",
  LAST_ADMIN: "有効な管理者はこのメンバーだけです。先に別のメンバーを管理者にしてください。",
  STAFF_EMAIL_TAKEN: "このメールアドレスのスタッフはすでに登録されています。",
  STAFF_DISABLED: "リンクを発行する前に、このアカウントを有効にしてください。",
  ROLE_UNCHANGED: "このメンバーはすでにその役割です。",
  STAFF_CHANGED: "このメンバーは別の管理者によって変更されました。再読み込みしてください。",
  STAFF_ALREADY_DISABLED: "このアカウントはすでに無効です。",
  STAFF_NOT_DISABLED: "このアカウントは無効になっていません。",
  STAFF_INACTIVE: "このスタッフはすでに無効のため、再送できません。",
  NO_VERIFIED_EMAIL: "確認済みのメールアドレスが登録されていないため、再送できません。",
  INVALID_EMAIL: "登録されたメールアドレスが正しくないため、再送できません。",
  EMAIL_CHANGED_DURING_INCIDENT:
    "登録アドレスが変更され、担当者がまだ確認していないため再送できません（攻撃者のアドレスの可能性があります）。先にお客様の連絡先を復元するか確認してください。",
  MISSING_DATA: "このアカウントには通知に必要なデータがないため、再送できません。",
  STAFF_ONLY: "この操作はスタッフだけが行えます。",
  ALREADY_ENROLLED: "このアカウントには認証アプリがすでに設定されています。",
  ENROLLMENT_CODE_WRONG:
    "コードが一致しません。スマートフォンの時刻が正しいか確認し、アプリに今表示されているコードを入力してください。",
  INVITE_UNUSABLE:
    "このリンクは有効期限が切れているか、すでに使用されています。管理者に新しいリンクを依頼してください。",
  // Customers, incidents, cases and cohorts.
  CUSTOMER_NOT_FOUND: "該当するお客様はいません。",
  CONTACT_STALE: "表示している間にこの連絡先が変更されました。ページを再読み込みして履歴を確認し直してください。",
  CONTACT_CHANGE_NOT_FOUND: "このアカウントに該当する連絡先の変更はありません。",
  CONTACT_NEVER_VERIFIED:
    "以前の連絡先はお客様が確認したことがないため、元に戻せません。リセットリンクを受け取れるのは、お客様が管理していると証明した連絡先だけです。",
  NOTHING_TO_RESTORE: "登録中の連絡先はすでに変更前の値です。",
  NOT_KNOWN_GOOD: "元に戻せるのは、最初の不審な変更より前の、最後に確認済みだった連絡先だけです。",
  NOTHING_TO_KEEP: "この連絡先には確認待ちの不審な変更がないため、承認するものはありません。",
  KEEP_REQUEST_PENDING: "この連絡先を維持する依頼がすでにセキュリティ責任者の判断待ちです。",
  KEEP_REQUEST_NOT_FOUND: "該当する依頼はありません。",
  FOUR_EYES: "これはあなたが依頼したものです。別のセキュリティ責任者が判断する必要があります。",
  IDENTITY_CHECK_REQUIRED: "先に発信者の本人確認（30分以内、2項目以上一致）を記録してください。",
  IDENTITY_CHECK_LOCKED:
    "このお客様は過去24時間に本人確認の失敗が多すぎます。再度質問せず、セキュリティ責任者に引き継いでください。",
  IDENTITY_FACT_UNAVAILABLE:
    "不審な変更より前のチャージ記録がありません。生年月日かカード番号の下4桁を確認してください。",
  FORCED_RESET_LINK_LIMIT:
    "このお客様には過去1時間にリセットリンクを{{max}}件メールしています。最新のリンクはまだ使えます。{{at}}までは新しいリセットはできません。今すぐアクセスを止めるには、アカウントを凍結してください。",
  RECOVERY_CODE_LIMIT: "過去24時間にこのお客様へ送ったコードが多すぎます。セキュリティ責任者に引き継いでください。",
  RECOVERY_CODE_REQUIRED:
    "先に、お客様の確認済みのメールまたは電話番号に送ったコードを発信者に読み上げてもらってください（15分以内）。",
  NO_KNOWN_GOOD_CONTACT:
    "この手段には、不審な変更より前にお客様が確認した連絡先がありません。もう一方の手段（メールまたはSMS）で送ってください。",
  STAFF_EXPORT_RATE_LIMITED: "短時間に監査ログのエクスポートが多すぎます。{{time}} 以降にもう一度お試しください。",
  STAFF_READ_RATE_LIMITED: "短時間に顧客の検索・閲覧が多すぎます。数分待ってから、もう一度お試しください。",
  WALLET_NOT_FOUND: "このお客様にはウォレットがありません。",
  ACCOUNT_NOT_RECOVERED:
    "このアカウントはまだ再開できません。停止した時点でアカウントを握っていた人物が、まだパスワードを知っている可能性があります。お客さまの確認済みメールアドレスにパスワード再設定を送ってから（保留された場合は先に連絡先を復元してください）再開してください。",
  ACCOUNT_STATUS_CHANGED:
    "アカウントの状態が変わったため、この操作はできません。再読み込みして現在の状態を確認してください。",
  INCIDENT_NOT_FOUND: "該当するインシデントはありません。",
  SERVICE_TOKEN_VALIDITY_INVALID: "トークンの有効期間は 1〜{{max}} の整数日で指定してください。",
  INCIDENT_RESOLVED: "そのインシデントは解決済みです。対応中のインシデントを指定するか、指定せずに実行してください。",
  INVALID_CASE_STATUS: "不明な案件の状態です。",
  CASE_TRANSITION_NOT_ALLOWED: "案件を現在の状態からその状態に変更することはできません。",
  CASE_CHANGED: "ページを開いた後に、別の担当者が案件を変更しました。再読み込みしてから、もう一度お試しください。",
  ASSIGNEE_NOT_FOUND: "該当する有効なスタッフはいません。",
  COHORT_EMPTY: "条件に一致するアカウントがないため、保存するものがありません。",
  COHORT_TOO_LARGE:
    "条件に一致するアカウントは{{found}}件です。1つの対象者抽出に入れられるのは最大{{max}}件です。期間を狭めるか、最低スコアを上げてください。",
  SIGNAL_SEARCH_TOO_BROAD: "この検索は範囲が広すぎて、すぐには終わりません。期間を狭めるか、しきい値を上げてください。",
  // Notices and messages.
  NO_VICTIMS: "このインシデントには通知する被害者がいません。",
  NOT_INCIDENT_VICTIMS:
    "選択したお客様のうち{{missing}}名は、このインシデントの被害者ではありません（案件がありません）。何も送信していません。",
  TEMPLATE_VARIABLES_MISSING: "このお客様にはこのお知らせを作成できません。次の情報が必要です：{{needs}}。",
  MESSAGE_NOT_FOUND: "該当するメッセージはありません。",
  NOT_RETRYABLE: "再送できるのは、送信に失敗したメッセージと、配信が確認できていないメッセージだけです。",
  CONTENT_REDACTED:
    "このメッセージのリセットリンクは、送信結果の確定後に削除されています。新しくリセットを始めてください。",
  SECRET_NOT_RESENT:
    "このメッセージにはリセットリンクまたは確認コードが含まれていたため、再送できません。アカウントの復旧ページから新しく送信してください。",
  STAFF_LINK_NOT_RESENT:
    "このメッセージにはスタッフのワンタイムリンクが含まれていたため、再送できません。管理者がスタッフ詳細ページから新しいリンクを送ってください。",
  RETRY_CONFLICT: "メッセージの状態が変わりました。再読み込みしてから、もう一度お試しください。",
  RECIPIENT_NOT_ALLOWED: "確認済みの連絡先に送れるのは確認コードだけです。",
  SMS_NOT_SENT: "SMSを送信できませんでした。メールで送るか、もう一度お試しください。",
  SMS_NOT_CONFIGURED: "このコンソールではSMSが設定されていません。コードはメールで送ってください。",
  // Contact changes, jobs, risk rules, kill-switch service tokens and the audit search.
  CONTACT_FIELD_INVALID: "変更する連絡先として、メールアドレスか電話番号を選んでください。",
  CONTACT_UNCHANGED: "これはすでに登録されている連絡先です。何も変更していません。",
  INVALID_AMOUNT: "金額は1円以上の整数で入力してください。",
  EXCEEDS_REMAINING:
    "この{{charge}}の決済で取り消せる残りは{{remaining}}です（{{reversed}}は取消済み）。{{amount}}は取り消せません。別の画面や別の担当者がすでに取り消した可能性があります。",
  ALREADY_FULLY_REVERSED:
    "この{{amount}}の決済はすでに全額取り消されています。別の画面や別の担当者が取り消した可能性があります。何も変更していません。",
  WALLET_WOULD_GO_NEGATIVE:
    "ウォレット残高は{{balance}}のため、このチャージの{{amount}}をカードに戻すと残高がマイナスになります。先にこのお金で支払われた決済を取り消すか、取消額を{{balance}}以下にしてください。",
  ACCOUNT_NOT_SECURED:
    "このアカウントは利用可能な状態のままで、この決済の後に保護されていません。ウォレットに返金すると、アカウントを握っている人が再び使えてしまいます。先にアカウントを凍結するか、パスワードの強制リセットを行ってから、決済を取り消してください。",
  CHARGE_NOT_FOUND: "このお客様にはその決済（チャージ）はありません。",
  NOT_REVERSIBLE: "これは取消の取引です。取消をさらに取り消すことはできません。",
  IDEMPOTENCY_KEY_REQUIRED: "このフォームは古くなっています。ページを再読み込みしてからやり直してください。",
  INVALID_IDEMPOTENCY_KEY: "このフォームは古くなっています。ページを再読み込みしてからやり直してください。",
  IDEMPOTENCY_KEY_REUSED:
    "このフォームは別の内容ですでに送信されています。何も変更していません。新しい取消はページを再読み込みしてから行ってください。",
  NOTE_TOO_LONG: "メモが長すぎます。短くしてください。",
  NOTE_REQUIRED: "この理由を選ぶ場合は、取消の説明をメモに入力してください。",
  UNKNOWN_REASON_CODE: "理由を選んでください（不正利用、二重請求、お客様の依頼、その他（メモ必須））。",
  REQUEST_NOT_FOUND: "該当する依頼はありません。",
  REQUEST_NOT_PENDING:
    "この依頼はすでに承認・却下・取り下げのいずれかが済んでいるため、変更できません。画面に最新の状態を表示しています。",
  REASON_TOO_LONG: "理由が長すぎます。短くしてください。",
  LARGE_REVERSAL_PERMISSION_REQUIRED: "取消の承認には高額取消の権限（セキュリティ責任者）が必要です。",
  SELF_APPROVAL: "この依頼はあなたが作成したため、別のセキュリティ責任者が承認する必要があります（4つの目の原則）。",
  SELF_DECISION: "これはあなた自身の依頼です。却下ではなく取り下げてください。",
  NOT_REQUESTER: "この依頼を取り下げられるのは作成者だけです。進めるべきでない場合は却下してください。",
  INVALID_SCOPE: "インシデント、保存済みの対象者抽出、またはお客様IDの一覧を選んでください。",
  SCOPE_NOT_FOUND: "選んだ対象は存在しません。",
  UNKNOWN_CUSTOMERS: "一覧のお客様IDの一部が存在しません。一覧を確認してください。",
  INVALID_WINDOW: "対象期間は有効な日付2つで、開始を終了より前にしてください。",
  PLAN_CHANGED:
    "ドライランの後に対象の決済が変わりました（新しい決済、別の担当者による取消、またはアカウントの凍結・凍結解除・パスワードの強制リセット）。何も開始していません。ドライランをやり直して内容を確認してから、もう一度確定してください。",
  NOTHING_TO_REVERSE: "この対象と期間には、取り消せるものが残っていません。",
  INVALID_BULK_REVERSAL: "この確定が指す予行を読み取れませんでした。何も凍結していません。予行をやり直してください。",
  NOTHING_TO_FREEZE: "この予行のアカウントはすべて保護済みです。凍結するものはありません。",
  BULK_FREEZE_CHANGED:
    "予行の後に未保護のアカウントが変わりました（保護されたものがあるか、新しい購入があります）。何も凍結していません。新しい一覧を確認して、もう一度確定してください。",
  NOTHING_REVERSIBLE_UNTIL_SECURED:
    "残っている決済はすべて、まだ保護されていないアカウントの購入です。何も開始していません。該当するアカウントを凍結するか、パスワードの強制リセットを行ってから、ドライランをやり直してください。",
  CONFIRMATION_CODE_REQUIRED:
    "この規模の操作には、この確認フォームに認証アプリの新しいコードを入力する必要があります。何も開始していません。",
  CONFIRMATION_CODE_INVALID:
    "コードを受け付けられませんでした。認証アプリに表示されている最新の6桁のコードを入力してください。",
  CONFIRMATION_CODE_BLOCKED:
    "誤ったコードが多すぎるため、{{until}}まで確認コードの入力を停止しています。早く解除するには管理者に依頼してください。",
  JOB_NOT_FOUND: "該当するジョブはありません。",
  JOB_FINISHED: "このジョブはすでに終了しています。",
  JOB_NOT_FAILED: "再開できるのは失敗したジョブだけです。",
  BACKTEST_NOT_FINISHED: "バックテストが完了しませんでした。",
  RULE_CHANNEL_NOT_FOR_EVENT: "チャネルで絞り込めるのはチャージのルールだけです。",
  SERVICE_NAME_INVALID: "サービス名は英小文字・数字・ハイフンで2〜63文字にしてください（例: payments-gateway）。",
  SERVICE_TOKEN_NOT_FOUND: "該当する有効なサービストークンはありません。",
  KILL_SWITCH_ALREADY_ENGAGED:
    "このスイッチはすでに停止中です（{{since}}から。別のセキュリティ責任者が停止した可能性があります）。何も変更していません。",
  KILL_SWITCH_NOT_ENGAGED: "このスイッチは停止していないため、解除するものはありません。",
  KILL_SWITCH_NOT_FOUND: "該当する緊急停止スイッチはありません。",
  NO_AUTOMATIC_RELEASE: "このスイッチには取り消す自動解除がありません。何も変更していません。",
  AUTO_RELEASE_NOT_DUE: "このスイッチは状態が変わったため、自動解除の対象ではなくなりました。",
  RELEASE_TIME_INVALID: "自動解除の日時が正しくありません。",
  RELEASE_TIME_TOO_SOON: "自動解除は現在から5分以上先の日時にしてください。",
  RELEASE_TIME_TOO_LATE: "自動解除は7日以内にしてください。解除するまで停止し続ける場合は空欄のままにしてください。",
  REASON_INVALID: "理由に保存できない文字が含まれています。入力し直してください。",
  RELEASE_REQUEST_NOT_FOUND: "該当する解除依頼はありません。",
  RELEASE_REQUEST_STALE:
    "この依頼の後にスイッチが変更されたため、この依頼は使えません。まだ解除すべき場合は新しく依頼してください。",
  RELEASE_REQUEST_NOT_PENDING:
    "この解除依頼はすでに承認・却下・取り下げのいずれかが済んでいます。画面に最新の状態を表示しています。",
  RELEASE_ALREADY_REQUESTED:
    "このスイッチの解除依頼がすでに承認待ちです。先にその依頼を承認・却下・取り下げしてください。",
  REQUESTER_CANNOT_REJECT: "この依頼はあなたが作成したものです。却下ではなく取り下げてください。",
  RELEASE_NEEDS_APPROVAL:
    "緊急停止の解除には、別のセキュリティ責任者による解除依頼の承認が必要です（4つの目の原則）。解除を依頼してください。",
  AUDIT_UNKNOWN_ACTOR: "メールアドレス「{{email}}」のスタッフはいません。",
  AUDIT_SEARCH_TOO_SLOW:
    "この検索は{{seconds}}秒を超えたため中止しました。期間を狭めるか、実行者・操作・対象・インシデントで絞り込んでください。",
  BACKTESTS_BUSY:
    "バックテストがすでに {{max}} 件、待機中または実行中です。いずれかが終わってから再度実行するか、1 件取り消してください。",
  LIVE_STREAMS_TOO_MANY:
    "自動更新の接続がすでに {{max}} 件開いています。コンソールのタブをいくつか閉じてから再読み込みしてください。",
  WALLET_BUSY:
    "ただいま大変混み合っています。お金の移動も変更も行われていません。少し時間をおいてからもう一度お試しください。",
  WALLET_UNAVAILABLE:
    "ただいまお手続きを完了できません。お金の移動も変更も行われていません。少し時間をおいてからもう一度お試しください。",
} satisfies Messages<typeof en>;

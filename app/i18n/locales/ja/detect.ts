// 日本語: detect(早期警戒)
import type en from "~/i18n/locales/en/detect";
import type { Messages } from "~/i18n/messages";

export default {
  title: "アラート",
  intro: "検知器はウォレットの1分ごとの動きを過去数週間の同じ時間帯と比べ、不正の波が始まるとアラートを出します。",
  empty: "アラートはまだ出ていません。",
  detector: {
    "signin-new-device-abroad": "海外からの新しい端末でのログイン",
    "accounts-per-ip": "同一IPからログインされたアカウント数",
    "accounts-per-device": "同一端末からログインされたアカウント数",
    "card-topup-after-new-device": "新しい端末でのログイン後1時間以内のカードチャージ",
    "resellable-per-store": "同一店舗での換金性の高い商品の購入額(円)",
    "topup-after-contact-change": "連絡先変更後1時間以内のチャージ",
    "failed-signin-rate": "ログイン失敗",
    "contact-change-after-new-device": "新しい端末でのログイン後1時間以内のメールアドレス・電話番号の変更",
  },
  severity: { LOW: "低", MEDIUM: "中", HIGH: "高" },
  column: {
    raised: "発生日時(JST)",
    detector: "検知器",
    severity: "重大度",
    value: "値",
    baseline: "平常値",
    state: "状態",
  },
  state: { open: "継続中", ended: "終息", acknowledged: "確認済み" },
  banner: {
    raised: "アラート:{{detector}}(重大度 {{severity}})",
    open: "アラートを見る",
  },
  detail: {
    title: "アラート:{{detector}}",
    version: "検知器バージョン {{version}}",
    minute: "対象の分(JST)",
    evidence: "このアラートの対象",
    accounts: "アカウント({{count}}件)",
    devices: "端末({{count}}件)",
    ips: "IPアドレス({{count}}件)",
    stores: "店舗({{count}}件)",
    none: "なし",
    incident: "インシデント",
    noIncident: "インシデントに紐づいていません。",
    cohort: "対象者抽出",
    summary:
      "{{from}} から {{to}} までの{{minutes}}分間に、{{accounts}} 件のアカウントで起きています(平常値 {{usual}}、今回 {{value}})。",
    next: "次にすること:{{next}}",
  },
  next: {
    "signin-new-device-abroad":
      "対象アカウントを対象者抽出として保存し、本人に確認できるまで凍結してください。増え続けるならカードチャージの停止を検討してください。",
    "accounts-per-ip":
      "このIPアドレスからログインされたアカウントを対象者抽出として保存し、パスワードの再設定を送ってください。",
    "accounts-per-device":
      "この端末からログインされたアカウントを対象者抽出として保存し、凍結してパスワードの再設定を送ってください。",
    "card-topup-after-new-device":
      "カードチャージの停止を検討してください。対象アカウントを凍結し、不正なチャージの取り消しを始めてください。",
    "resellable-per-store": "この店舗での購入を確認し、購入したアカウントを凍結してください。",
    "topup-after-contact-change":
      "対象アカウントを凍結し、連絡先を本人の確認済みのものに戻してから、チャージの取り消しを始めてください。",
    "failed-signin-rate":
      "パスワードリスト攻撃の可能性があります。ログインに成功したアカウントを確認し、心当たりのないものは凍結してパスワードの再設定を送ってください。",
    "contact-change-after-new-device":
      "乗っ取り直後の可能性があります。お金が動く前に、対象アカウントを凍結して連絡先を本人の確認済みのものに戻し、パスワードの再設定を送ってください。",
  },
  action: {
    acknowledge: "確認済みにする",
    link: "インシデントに紐づける",
    makeCohort: "対象者抽出として保存",
  },
  toast: {
    acknowledged: "アラートを確認済みにしました。",
    linked: "アラートをインシデントに紐づけました。",
    cohortCreated: "アラートの対象アカウントを対象者抽出として保存しました。",
  },
  policies: {
    title: "封じ込めポリシー",
    intro:
      "検知器が指定の重大度以上のアラートを出した時点で、キルスイッチを自動で作動させます。セキュリティ責任者1名が提案し、別の1名が承認するまでは何もしません。スイッチの解除には引き続き2名が必要です。",
    empty: "ポリシーはまだありません。スイッチはすべて手動で作動させます。",
    propose: "ポリシーを提案する",
    history: "記録された平常時 {{weeks}} 週間のアラート件数(到達した重大度別)",
    historyOutdated:
      "{{detectors}}：現在の版の検知器では未計算です（記録済みの週は以前の版で計算されたものです）。該当欄は「—」で表示しています。",
    historyUnknown: "この版の検知器での件数はまだありません",
    column: {
      severity: "重大度(以上)",
      switch: "作動させるスイッチ",
      status: "状態",
      history: "発動したはずの回数({{weeks}} 週間)",
    },
    status: { PROPOSED: "提案中", ACTIVE: "有効", DISABLED: "無効" },
    action: { propose: "提案する", approve: "承認する", disable: "無効にする" },
    toast: {
      proposed: "ポリシーを提案しました。別のセキュリティ責任者の承認が必要です。",
      approved: "ポリシーを承認しました。有効になっています。",
      disabled: "ポリシーを無効にしました。",
    },
    waves: {
      title: "生成できる攻撃パターンごとの効果",
      intro:
        "記録された履歴の攻撃部分を各パターンに組み替え、同じ検知器を模擬時計で動かした結果です。ポリシーがあっても攻撃者に取られたはずの不正チャージ額と、ポリシーがない場合の全額を比べます。",
      outdated:
        "不明です。攻撃パターンを記録した後にこの検知器が変更されました(scripts/record-policy-history.ts を実行してください)。",
      policy: "{{detector}}(重大度 {{severity}} 以上)→ {{switchKey}}({{status}})",
      column: {
        wave: "攻撃パターン",
        without: "ポリシーなしの被害額",
        with: "ポリシーありの被害額",
        engaged: "スイッチ作動",
      },
      never: "作動せず",
      before: "最初の不正チャージの {{minutes}} 分前",
      after: "最初の不正チャージの {{minutes}} 分後",
      text: "テキストの表で見る",
      name: {
        "7pay": "7pay(記録どおり)",
        "other-countries": "別の国から",
        "residential-jp": "国内の家庭用IPから",
        "one-device-per-victim": "被害者ごとに別の端末",
        "slow-drip": "数週間かけて少しずつ",
        "cash-top-ups": "現金チャージ",
        quiet: "目立たない手口をすべて組み合わせ",
      },
    },
  },
  errors: {
    unknownDetector: "検知器を選んでください。",
    unknownSwitch: "該当するキルスイッチがありません。",
    policyNotFound: "該当するポリシーがありません。",
    secondLead: "ポリシーの承認は、提案者とは別のセキュリティ責任者が行います。",
    notProposed: "承認できるのは提案中のポリシーだけです。",
    firingTakenOver: "この封じ込めの発動は別のワーカーが引き継ぎました。結果はそのワーカーが記録します。",
    staffOnly: "アラートを処理できるのはスタッフだけです。",
    notFound: "該当するアラートがありません。",
    alreadyAcknowledged: "このアラートはすでに確認済みです。",
    incidentNotFound: "該当するインシデントがありません。",
    hasCohort: "このアラートはすでに対象者抽出として保存されています。",
    noAccounts: "このアラートにはアカウントが含まれていないため、対象者抽出を作成できません。",
    badRequest: "操作を選んでください。",
    alreadyOnDuty: "すでに当番になっています。",
    alreadyOffDuty: "当番になっていません。",
  },
  duty: {
    title: "当番",
    link: "当番の確認",
    intro:
      "アラートと封じ込めの発動は、当番のセキュリティ責任者にメールで届きます。メールは各自のコンソールの言語で、アラートへのリンク付きです。",
    nobody: "当番がいません。有効なセキュリティ責任者全員({{count}}名)にメールが届きます。",
    onDuty: "当番",
    since: "{{since}}から",
    you: { on: "あなたは当番です。", off: "あなたは当番ではありません。" },
    action: { on: "当番になる", off: "当番を外れる" },
    toast: { on: "当番になりました。アラートがメールで届きます。", off: "当番を外れました。" },
  },
  leadMail: {
    title: "セキュリティ責任者に届かなかったアラートメール：{{count}} 件",
    onAlertTitle: "このアラートについて責任者に届かなかったメール：{{count}} 件",
    intro:
      "メールに頼っている責任者はこのアラートを知らない可能性があります。アラートはコンソール上（このページとバナー）には表示されています。アラートが続いている間は、電話やチャットなど別の手段でも責任者に伝えてください。",
    alertMail: "アラートメール",
    containmentMail: "封じ込めメール",
    to: "宛先：{{name}}（{{recipient}}）",
    failed:
      "失敗：メールサーバーが受け取りを拒否したか、再試行がすべて失敗しました。責任者本人にアドレスを確認してから再送してください。",
    uncertain:
      "要確認：届いている可能性があります。メールサーバーのログで Message-ID を確認し、サーバーが受け取っていない場合のみ再送してください。",
    openAlert: "アラートを開く",
    more: "ほか {{count}} 件",
  },
  mail: {
    open: "アラートを開く",
    alert: {
      subject: "【Firebreak】アラート:{{detector}}(重大度 {{severity}})",
      body: "検知器「{{detector}}」が {{minute}}(日本時間)の1分間について重大度「{{severity}}」のアラートを出しました。値は {{value}} です。",
      evidence: "対象:アカウント {{accounts}} 件、端末 {{devices}} 件、IPアドレス {{ips}} 件、店舗 {{stores}} 件。",
    },
    containment: {
      subject: "【Firebreak】封じ込め:{{switchKey}}",
      body: "承認済みの封じ込めポリシーが発動しました。検知器「{{detector}}」が重大度「{{severity}}」のアラートを出しています。",
      engaged: "システムがキルスイッチ {{switchKey}} を作動させました。",
      alreadyEngaged: "キルスイッチ {{switchKey}} はすでに作動中でした。",
      failed: "システムはキルスイッチ {{switchKey}} を作動させられませんでした。手動で作動させてください。",
      release: "スイッチの解除には、スイッチボードで2名の操作が必要です。",
    },
    whyOnDuty: "Firebreakで当番になっているため、このメールをお送りしています。",
    whyEveryone: "当番のセキュリティ責任者がいないため、セキュリティ責任者全員にこのメールをお送りしています。",
  },
} satisfies Messages<typeof en>;

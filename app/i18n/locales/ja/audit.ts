// 日本語: 監査ログ
import type en from "~/i18n/locales/en/audit";
import type { Messages } from "~/i18n/messages";

export default {
  pageTitle: "監査ログ",
  title: "監査ログ",
  intro:
    "誰が、いつ、誰に対して、なぜ、何を行い、それが許可されたかを記録しています。時刻は日本時間（JST）です。このページを開いたことも記録されます。",
  integrityLink: "改ざん検証と署名済みチェックポイント",
  filterErrors: "次の条件は適用できません：",
  pages: "ページ",
  newer: "← 新しい記録",
  older: "古い記録 →",
  exportsCompliance: "監査ログの書き出しはコンプライアンス担当のみ行えます。",
  export: {
    title: "この条件で書き出す",
    intro:
      "条件に合う記録を、行 {{through}}（このページを開いた時点の最新行）まで古い順に書き出します。書き出しも監査ログに記録されます。ダウンロードしたファイルは<integrityLink>改ざん検証ページ</integrityLink>の公開鍵でオフライン検証できます。",
    csv: "CSVをダウンロード",
    manifest: "CSVのマニフェスト",
    jsonl: "JSON Lines をダウンロード（マニフェスト同梱）",
  },
  filter: {
    label: "監査ログの絞り込み",
    from: "開始",
    to: "終了",
    inclusive: "この時刻を含む",
    exclusive: "この時刻を含まない",
    actor: "実行者",
    actorPlaceholder: "スタッフのメールアドレスまたは実行者ID",
    role: "ロール",
    action: "操作",
    targetType: "対象の種類",
    targetId: "対象ID",
    outcome: "結果",
    incident: "インシデント",
    reason: "理由に含まれる語",
    reasonPlaceholder: "2文字以上",
    any: "すべて",
    apply: "絞り込む",
    clear: "条件をクリア",
  },
  integrity: {
    pageTitle: "監査ログの完全性",
    back: "← 監査ログ",
    title: "監査ログの完全性",
    intro:
      "監査ログの各行には、その内容と直前の行の SHA-256 ハッシュが記録されています。{{minutes}}分ごとに最新の行をデータベースの外で保管している Ed25519 鍵で署名するため、最初の行から書き換えられた改ざんも検出できます。",
    verifying: "検証中…",
    verify: "チェーンを検証する",
    signing: "署名中…",
    sign: "今すぐチェックポイントに署名する",
    newestRow: "最新の行：{{row}}。検証ではすべての行を読み込みます（100万行あたり約5秒）。",
    noneYet: "まだありません",
    unknownAction: "不明な操作です。",
    emptyTrail: "監査ログが空のため、署名する対象はまだありません。",
    alreadyCovered: "行 {{seq}} はすでにチェックポイント #{{id}} で署名されています。",
    signed: "行 {{seq}} にチェックポイント #{{id}} を署名しました。",
    publicKey: "オフライン検証用の公開鍵",
    keyFromEnvironment:
      "鍵 <code>{{keyId}}</code>、SHA-256 フィンガープリント <fingerprint>{{fingerprint}}</fingerprint>（秘密鍵は環境変数で保管し、データベースには置いていません）。",
    keyFromFile:
      "鍵 <code>{{keyId}}</code>、SHA-256 フィンガープリント <fingerprint>{{fingerprint}}</fingerprint>（秘密鍵は鍵ファイルで保管し、データベースには置いていません）。",
    downloadKey: "公開鍵をダウンロード",
    verifyOffline: "ダウンロードしたエクスポートは、Firebreak にアクセスせずに検証できます：",
    checkpoints: "最近署名されたチェックポイント",
    noCheckpoints: "まだ署名されたチェックポイントはありません。",
    row: "行",
    signedAt: "署名日時（JST）",
    by: "署名者",
    key: "鍵",
    signature: "署名",
    status: {
      valid: "検証済み",
      invalid: "署名が無効",
      "untrusted-key": "信頼されていない鍵",
    },
  },
  verification: {
    intact: "監査ログは改ざんされていません",
    tampered: "行 {{seq}} で改ざんを検出しました",
    summary:
      "{{rows}}行を{{seconds}}秒で検証（最新：行 {{head}}）。署名済みチェックポイント{{total}}件中{{valid}}件を確認しました。",
    none: "なし",
    showFrom: "行 {{seq}} からの監査ログを表示",
    problem: "行 {{seq}}、{{problem}}：{{detail}}",
  },
} satisfies Messages<typeof en>;

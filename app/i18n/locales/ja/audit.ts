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
} satisfies Messages<typeof en>;

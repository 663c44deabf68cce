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
    cohort: "コホート",
  },
  action: {
    acknowledge: "確認済みにする",
    link: "インシデントに紐づける",
    makeCohort: "コホートにする",
  },
  toast: {
    acknowledged: "アラートを確認済みにしました。",
    linked: "アラートをインシデントに紐づけました。",
    cohortCreated: "アラートの対象アカウントからコホートを作成しました。",
  },
  errors: {
    staffOnly: "アラートを処理できるのはスタッフだけです。",
    notFound: "該当するアラートがありません。",
    alreadyAcknowledged: "このアラートはすでに確認済みです。",
    incidentNotFound: "該当するインシデントがありません。",
    hasCohort: "このアラートにはすでにコホートがあります。",
    noAccounts: "このアラートにはアカウントが含まれていないため、コホートを作成できません。",
    badRequest: "操作を選んでください。",
  },
} satisfies Messages<typeof en>;

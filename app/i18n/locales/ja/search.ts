// 日本語: お客様検索（/accounts）
import type en from "~/i18n/locales/en/search";
import type { Messages } from "~/i18n/messages";

export default {
  title: "アカウント検索",
  intro:
    "お客様から聞き取った情報を、いくつでもまとめて入力できます: 氏名（漢字・かな）、生年月日または生まれ年（1985-04-01、昭和60年）、電話番号またはカード番号の下4桁、メールアドレス（@より前だけでも可）、電話番号、表示ID、端末ID、IPアドレス。",
  example: "入力例: 佐藤 翔太 1985 5678",
  boxLabel: "お客様を検索",
  placeholder: "佐藤 翔太 1985 5678 · 090-1234-5678 · sato@ · W-00012345",
  submit: "検索",
  searching: "検索中…",
  refused: {
    empty: "電話番号、メールアドレス、氏名、生年月日、表示ID、端末ID、IPアドレスのいずれかを入力してください。",
    tooLong: "{{max}}文字以内で入力してください。",
    nothingSearchable:
      "検索に使える情報がありません。電話番号（下4桁でも可）、メールアドレス（@より前でも可）、氏名（漢字・かな）、生年月日、表示ID、端末ID、IPアドレスのいずれかを入力してください。",
    tooBroad:
      "該当者が多すぎるため、すぐに結果を出せません。生年月日、電話番号の下4桁、下の名前など、お客様に確認できる情報を追加してください。",
    linkInvalid: "このページへのリンクは無効になりました。もう一度検索してください。",
    rateLimited: "短時間に顧客の検索・閲覧が多すぎます。数分待ってから、もう一度お試しください。",
  },
  summary: {
    none: "「{{query}}」に一致するアカウントはありません。",
    count_other: "「{{query}}」に一致するアカウント {{total}}件 · {{page}}ページ目",
    countAtLeast: "「{{query}}」に一致するアカウント {{total}}件以上 · {{page}}ページ目",
  },
  searchedAs:
    "入力どおりのお名前のアカウントはありません。{{names}}（同じお名前の別の順序・読み・字体）で検索した結果を表示しています。お名前をお客様に確認してください。",
  quotedName: "「{{name}}」",
  emailRetried:
    "そのメールアドレスのアカウントはありません。ドメインを問わず「{{local}}@」で始まるアドレスのアカウントを表示しています（ドメインの聞き間違い・入力間違いの可能性があります）。アドレス全体をお客様に確認してください。",
  partial:
    "お客様のおっしゃった情報すべてに一致するアカウントはありません。一部が一致するアカウントを表示しています。一つずつお客様に確認してください。",
  nextFact: {
    birthDate: "絞り込むには、生年月日をお伺いしてください。",
    phoneLast4: "絞り込むには、電話番号の下4桁をお伺いしてください。",
    givenName: "絞り込むには、下のお名前をお伺いしてください。",
    birthYear: "絞り込むには、生まれ年をお伺いしてください。",
    emailLocal: "絞り込むには、メールアドレスをお伺いしてください（@より前だけで十分です）。",
  },
  openCaseFirst:
    "一致の度合いが同じアカウントのうち、インシデント案件が完了していないものを先に表示しています。インシデント対応中は、お問い合わせの多くがこうしたお客様からです。本人確認はいつもどおり行ってください。",
  openCaseFirstRow: "未完了のインシデント案件あり（先に表示）",
  prefectureIgnored: "{{prefecture}}: お客様の住所は登録されていないため、都道府県では絞り込めません。",
  column: {
    account: "アカウント",
    name: "氏名",
    born: "生まれ年",
    contact: "連絡先",
    status: "状態",
    lastSignIn: "最終ログイン",
    matchedOn: "一致した項目",
  },
  matchedBy: {
    phone: "電話番号",
    email: "メールアドレス",
    displayId: "表示ID",
    customerId: "顧客ID",
    deviceId: "端末ID",
    fingerprint: "端末識別子",
    ip: "このIPからログイン",
    name: "氏名（完全一致）",
    reading: "氏名の読み（完全一致）",
    familyName: "姓",
    namePrefix: "氏名の前方一致",
    givenName: "名",
    similarName: "似た氏名（1文字違い）",
    nameVariant: "氏名の異体字（髙橋と高橋など）",
    birthDate: "生年月日",
    birthYear: "生まれ年",
    birthMonth: "誕生月・誕生日",
    phoneLast4: "電話番号の下4桁",
    cardLast4: "カード番号の下4桁",
    emailLocal: "メールアドレス（@より前）",
    emailDomain: "メールのドメイン",
  },
  pages: "検索結果のページ",
  firstPage: "← 最初のページ",
  nextPage: "次へ →",
} satisfies Messages<typeof en>;

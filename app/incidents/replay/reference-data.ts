// Tables the replay generator draws from: names with their readings, contact details, devices, stores, products and
// IP ranges. Everything here is synthetic. Emails use the reserved `.example` top-level domain (RFC 2606) so nothing
// seeded can ever reach a real mailbox. Phone numbers are random +8190/80/70 numbers and MAY belong to real people:
// never point a real SMS gateway at seeded data.

/** [kanji, katakana reading, romaji, relative frequency]. Frequencies roughly follow Japanese surname rankings, so
 *  佐藤, 鈴木, 高橋 and 田中 are common and search has to tell namesakes apart. */
export const FAMILY_NAMES: readonly (readonly [string, string, string, number])[] = [
  ["佐藤", "サトウ", "sato", 190],
  ["鈴木", "スズキ", "suzuki", 180],
  ["高橋", "タカハシ", "takahashi", 142],
  ["田中", "タナカ", "tanaka", 134],
  ["伊藤", "イトウ", "ito", 108],
  ["渡辺", "ワタナベ", "watanabe", 106],
  ["山本", "ヤマモト", "yamamoto", 104],
  ["中村", "ナカムラ", "nakamura", 103],
  ["小林", "コバヤシ", "kobayashi", 101],
  ["加藤", "カトウ", "kato", 89],
  ["吉田", "ヨシダ", "yoshida", 83],
  ["山田", "ヤマダ", "yamada", 81],
  ["佐々木", "ササキ", "sasaki", 67],
  ["山口", "ヤマグチ", "yamaguchi", 64],
  ["松本", "マツモト", "matsumoto", 62],
  ["井上", "イノウエ", "inoue", 60],
  ["木村", "キムラ", "kimura", 57],
  ["林", "ハヤシ", "hayashi", 53],
  ["斎藤", "サイトウ", "saito", 52],
  ["清水", "シミズ", "shimizu", 51],
  ["山崎", "ヤマザキ", "yamazaki", 48],
  ["森", "モリ", "mori", 46],
  ["池田", "イケダ", "ikeda", 44],
  ["橋本", "ハシモト", "hashimoto", 44],
  ["阿部", "アベ", "abe", 43],
  ["石川", "イシカワ", "ishikawa", 42],
  ["山下", "ヤマシタ", "yamashita", 41],
  ["中島", "ナカジマ", "nakajima", 40],
  ["石井", "イシイ", "ishii", 39],
  ["小川", "オガワ", "ogawa", 38],
  ["前田", "マエダ", "maeda", 37],
  ["岡田", "オカダ", "okada", 36],
  ["長谷川", "ハセガワ", "hasegawa", 36],
  ["藤田", "フジタ", "fujita", 35],
  ["後藤", "ゴトウ", "goto", 35],
  ["近藤", "コンドウ", "kondo", 34],
  ["村上", "ムラカミ", "murakami", 33],
  ["遠藤", "エンドウ", "endo", 31],
  ["青木", "アオキ", "aoki", 30],
  ["坂本", "サカモト", "sakamoto", 30],
  ["斉藤", "サイトウ", "saito", 29],
  ["福田", "フクダ", "fukuda", 29],
  ["太田", "オオタ", "ota", 28],
  ["西村", "ニシムラ", "nishimura", 28],
  ["藤井", "フジイ", "fujii", 27],
  ["金子", "カネコ", "kaneko", 27],
  ["岡本", "オカモト", "okamoto", 27],
  ["藤原", "フジワラ", "fujiwara", 27],
  ["中野", "ナカノ", "nakano", 26],
  ["三浦", "ミウラ", "miura", 26],
  ["原田", "ハラダ", "harada", 25],
  ["中川", "ナカガワ", "nakagawa", 25],
  ["松田", "マツダ", "matsuda", 25],
  ["竹内", "タケウチ", "takeuchi", 24],
  ["小野", "オノ", "ono", 24],
  ["田村", "タムラ", "tamura", 24],
  ["中山", "ナカヤマ", "nakayama", 23],
  ["和田", "ワダ", "wada", 23],
  ["石田", "イシダ", "ishida", 23],
  ["森田", "モリタ", "morita", 22],
  ["上田", "ウエダ", "ueda", 22],
  ["原", "ハラ", "hara", 22],
  ["内田", "ウチダ", "uchida", 21],
  ["柴田", "シバタ", "shibata", 21],
  ["酒井", "サカイ", "sakai", 21],
  ["宮崎", "ミヤザキ", "miyazaki", 20],
  ["横山", "ヨコヤマ", "yokoyama", 20],
  ["高木", "タカギ", "takagi", 20],
  ["安藤", "アンドウ", "ando", 20],
  ["宮本", "ミヤモト", "miyamoto", 19],
  ["大野", "オオノ", "ono", 19],
  ["小島", "コジマ", "kojima", 19],
  ["谷口", "タニグチ", "taniguchi", 18],
  ["今井", "イマイ", "imai", 18],
  ["工藤", "クドウ", "kudo", 18],
  ["高田", "タカダ", "takada", 18],
  ["増田", "マスダ", "masuda", 17],
  ["丸山", "マルヤマ", "maruyama", 17],
  ["杉山", "スギヤマ", "sugiyama", 17],
  ["村田", "ムラタ", "murata", 17],
  ["大塚", "オオツカ", "otsuka", 16],
  ["新井", "アライ", "arai", 16],
  ["小山", "コヤマ", "koyama", 16],
  ["平野", "ヒラノ", "hirano", 16],
  ["藤本", "フジモト", "fujimoto", 15],
  ["河野", "コウノ", "kono", 15],
  ["上野", "ウエノ", "ueno", 15],
  ["野口", "ノグチ", "noguchi", 15],
  ["武田", "タケダ", "takeda", 15],
  ["松尾", "マツオ", "matsuo", 14],
  ["菅原", "スガワラ", "sugawara", 14],
  ["千葉", "チバ", "chiba", 14],
  ["久保", "クボ", "kubo", 14],
  ["木下", "キノシタ", "kinoshita", 14],
  ["佐野", "サノ", "sano", 13],
  ["野村", "ノムラ", "nomura", 13],
  ["松井", "マツイ", "matsui", 13],
  ["菊地", "キクチ", "kikuchi", 13],
  ["杉本", "スギモト", "sugimoto", 13],
  ["市川", "イチカワ", "ichikawa", 12],
];

/** [kanji, katakana reading, romaji, relative frequency] */
export const MALE_GIVEN_NAMES: readonly (readonly [string, string, string, number])[] = [
  ["翔太", "ショウタ", "shota", 10],
  ["健太", "ケンタ", "kenta", 10],
  ["大輔", "ダイスケ", "daisuke", 10],
  ["拓也", "タクヤ", "takuya", 9],
  ["直樹", "ナオキ", "naoki", 8],
  ["誠", "マコト", "makoto", 9],
  ["浩", "ヒロシ", "hiroshi", 8],
  ["隆", "タカシ", "takashi", 8],
  ["学", "マナブ", "manabu", 5],
  ["剛", "ツヨシ", "tsuyoshi", 5],
  ["翔", "ショウ", "sho", 6],
  ["大樹", "ダイキ", "daiki", 7],
  ["蓮", "レン", "ren", 5],
  ["陽翔", "ハルト", "haruto", 4],
  ["悠真", "ユウマ", "yuma", 4],
  ["颯太", "ソウタ", "sota", 4],
  ["健一", "ケンイチ", "kenichi", 7],
  ["和也", "カズヤ", "kazuya", 7],
  ["達也", "タツヤ", "tatsuya", 7],
  ["雄一", "ユウイチ", "yuichi", 6],
  ["修", "オサム", "osamu", 5],
  ["茂", "シゲル", "shigeru", 4],
  ["博", "ヒロシ", "hiroshi", 5],
  ["清", "キヨシ", "kiyoshi", 4],
  ["亮", "リョウ", "ryo", 6],
  ["涼太", "リョウタ", "ryota", 6],
  ["翼", "ツバサ", "tsubasa", 5],
  ["一郎", "イチロウ", "ichiro", 5],
  ["正人", "マサト", "masato", 5],
  ["俊介", "シュンスケ", "shunsuke", 5],
  ["裕太", "ユウタ", "yuta", 7],
  ["康介", "コウスケ", "kosuke", 5],
  ["和夫", "カズオ", "kazuo", 4],
  ["勇気", "ユウキ", "yuki", 5],
  ["大翔", "ヒロト", "hiroto", 5],
  ["太郎", "タロウ", "taro", 6],
  ["秀樹", "ヒデキ", "hideki", 5],
  ["洋平", "ヨウヘイ", "yohei", 5],
];

export const FEMALE_GIVEN_NAMES: readonly (readonly [string, string, string, number])[] = [
  ["陽子", "ヨウコ", "yoko", 8],
  ["恵子", "ケイコ", "keiko", 8],
  ["裕子", "ユウコ", "yuko", 8],
  ["美穂", "ミホ", "miho", 7],
  ["愛", "アイ", "ai", 8],
  ["彩", "アヤ", "aya", 6],
  ["結衣", "ユイ", "yui", 6],
  ["陽菜", "ヒナ", "hina", 5],
  ["美咲", "ミサキ", "misaki", 8],
  ["さくら", "サクラ", "sakura", 6],
  ["葵", "アオイ", "aoi", 5],
  ["真由美", "マユミ", "mayumi", 6],
  ["直美", "ナオミ", "naomi", 6],
  ["智子", "トモコ", "tomoko", 7],
  ["久美子", "クミコ", "kumiko", 6],
  ["明美", "アケミ", "akemi", 5],
  ["由美子", "ユミコ", "yumiko", 6],
  ["京子", "キョウコ", "kyoko", 5],
  ["幸子", "サチコ", "sachiko", 4],
  ["麻衣", "マイ", "mai", 6],
  ["舞", "マイ", "mai", 5],
  ["優子", "ユウコ", "yuko", 6],
  ["香織", "カオリ", "kaori", 6],
  ["奈々", "ナナ", "nana", 5],
  ["千尋", "チヒロ", "chihiro", 5],
  ["沙織", "サオリ", "saori", 5],
  ["彩花", "アヤカ", "ayaka", 5],
  ["凛", "リン", "rin", 4],
  ["芽依", "メイ", "mei", 4],
  ["美紀", "ミキ", "miki", 5],
  ["綾乃", "アヤノ", "ayano", 4],
  ["春香", "ハルカ", "haruka", 5],
  ["真理子", "マリコ", "mariko", 4],
  ["紀子", "ノリコ", "noriko", 4],
  ["純子", "ジュンコ", "junko", 4],
  ["愛子", "アイコ", "aiko", 4],
  ["花子", "ハナコ", "hanako", 3],
];

/** Mail providers, reserved under `.example` (see the header). */
export const EMAIL_DOMAINS: readonly (readonly [string, number])[] = [
  ["docomo.ne.jp.example", 18],
  ["ezweb.ne.jp.example", 10],
  ["softbank.ne.jp.example", 8],
  ["gmail.com.example", 28],
  ["yahoo.co.jp.example", 18],
  ["icloud.com.example", 12],
  ["outlook.jp.example", 4],
  ["nifty.com.example", 2],
];

/** Where attackers moved hijacked accounts' email. */
export const ATTACKER_EMAIL_DOMAINS = [
  "qq.com.example",
  "163.com.example",
  "protonmail.com.example",
  "yandex.ru.example",
  "outlook.com.example",
] as const;

export const MOBILE_PREFIXES = ["90", "80", "70"] as const;

export const IOS_MODELS = [
  "iPhone XS",
  "iPhone XR",
  "iPhone X",
  "iPhone 8",
  "iPhone 8 Plus",
  "iPhone 7",
  "iPhone SE",
  "iPhone 6s",
] as const;
export const ANDROID_MODELS = [
  "Xperia XZ2",
  "Xperia XZ3",
  "AQUOS sense2",
  "AQUOS R2",
  "Galaxy S9",
  "Galaxy Feel2",
  "arrows Be",
  "HUAWEI P20 lite",
  "Pixel 3",
  "OPPO R17 Neo",
] as const;
/** Models a customer upgrades to (mid-2019 releases). */
export const UPGRADE_MODELS: Record<"ios" | "android", readonly string[]> = {
  ios: ["iPhone XS", "iPhone XS Max", "iPhone XR"],
  android: ["Xperia 1", "Galaxy S10", "AQUOS R3", "Pixel 3a", "HUAWEI P30 lite"],
};
/** What the attackers' devices reported. */
export const ATTACKER_MODELS: Record<"ios" | "android", readonly string[]> = {
  ios: ["iPhone 6s", "iPhone 7", "iPhone 6"],
  android: ["Redmi Note 7", "OPPO R15", "vivo X21", "Galaxy S8", "Android SDK built for x86"],
};

export const CARD_BRANDS: readonly (readonly [string, number])[] = [
  ["VISA", 45],
  ["Mastercard", 28],
  ["JCB", 27],
];
export const BANKS = [
  "三菱UFJ銀行",
  "三井住友銀行",
  "みずほ銀行",
  "ゆうちょ銀行",
  "りそな銀行",
  "楽天銀行",
  "住信SBIネット銀行",
] as const;
export const CASH_CHANNEL_BRAND = "ナナマート店頭チャージ";

export interface StoreSpec {
  code: string;
  name: string;
  area: string;
  region: Region;
}

export type Region = "TOKYO" | "KANTO" | "KANSAI" | "CHUBU" | "KYUSHU" | "NORTH" | "WEST";

/** The replay's convenience-store chain (fictional: ナナマート). */
export const STORES: readonly StoreSpec[] = [
  { code: "S-SHINJUKU-01", name: "ナナマート 新宿西口店", area: "東京都新宿区", region: "TOKYO" },
  { code: "S-SHINJUKU-02", name: "ナナマート 新宿三丁目店", area: "東京都新宿区", region: "TOKYO" },
  { code: "S-KABUKICHO-01", name: "ナナマート 歌舞伎町一番街店", area: "東京都新宿区", region: "TOKYO" },
  { code: "S-IKEBUKURO-01", name: "ナナマート 池袋東口店", area: "東京都豊島区", region: "TOKYO" },
  { code: "S-IKEBUKURO-02", name: "ナナマート 池袋北口店", area: "東京都豊島区", region: "TOKYO" },
  { code: "S-SHIBUYA-01", name: "ナナマート 渋谷道玄坂店", area: "東京都渋谷区", region: "TOKYO" },
  { code: "S-AKIHABARA-01", name: "ナナマート 秋葉原電気街店", area: "東京都千代田区", region: "TOKYO" },
  { code: "S-UENO-01", name: "ナナマート 上野アメ横店", area: "東京都台東区", region: "TOKYO" },
  { code: "S-SHINAGAWA-01", name: "ナナマート 品川港南口店", area: "東京都港区", region: "TOKYO" },
  { code: "S-MARUNOUCHI-01", name: "ナナマート 丸の内店", area: "東京都千代田区", region: "TOKYO" },
  { code: "S-KAMATA-01", name: "ナナマート 蒲田駅前店", area: "東京都大田区", region: "TOKYO" },
  { code: "S-KICHIJOJI-01", name: "ナナマート 吉祥寺店", area: "東京都武蔵野市", region: "TOKYO" },
  { code: "S-YOKOHAMA-01", name: "ナナマート 横浜西口店", area: "神奈川県横浜市", region: "KANTO" },
  { code: "S-KAWASAKI-01", name: "ナナマート 川崎駅前店", area: "神奈川県川崎市", region: "KANTO" },
  { code: "S-OMIYA-01", name: "ナナマート 大宮東口店", area: "埼玉県さいたま市", region: "KANTO" },
  { code: "S-CHIBA-01", name: "ナナマート 千葉駅前店", area: "千葉県千葉市", region: "KANTO" },
  { code: "S-FUNABASHI-01", name: "ナナマート 船橋店", area: "千葉県船橋市", region: "KANTO" },
  { code: "S-UMEDA-01", name: "ナナマート 梅田店", area: "大阪府大阪市", region: "KANSAI" },
  { code: "S-NAMBA-01", name: "ナナマート 難波千日前店", area: "大阪府大阪市", region: "KANSAI" },
  { code: "S-KYOTO-01", name: "ナナマート 四条河原町店", area: "京都府京都市", region: "KANSAI" },
  { code: "S-KOBE-01", name: "ナナマート 三宮店", area: "兵庫県神戸市", region: "KANSAI" },
  { code: "S-NAGOYA-01", name: "ナナマート 名駅店", area: "愛知県名古屋市", region: "CHUBU" },
  { code: "S-SAKAE-01", name: "ナナマート 栄店", area: "愛知県名古屋市", region: "CHUBU" },
  { code: "S-SHIZUOKA-01", name: "ナナマート 静岡駅前店", area: "静岡県静岡市", region: "CHUBU" },
  { code: "S-TENJIN-01", name: "ナナマート 天神店", area: "福岡県福岡市", region: "KYUSHU" },
  { code: "S-HAKATA-01", name: "ナナマート 博多駅前店", area: "福岡県福岡市", region: "KYUSHU" },
  { code: "S-KUMAMOTO-01", name: "ナナマート 熊本下通店", area: "熊本県熊本市", region: "KYUSHU" },
  { code: "S-SAPPORO-01", name: "ナナマート すすきの店", area: "北海道札幌市", region: "NORTH" },
  { code: "S-SENDAI-01", name: "ナナマート 仙台駅前店", area: "宮城県仙台市", region: "NORTH" },
  { code: "S-HIROSHIMA-01", name: "ナナマート 紙屋町店", area: "広島県広島市", region: "WEST" },
  { code: "S-NAHA-01", name: "ナナマート 国際通り店", area: "沖縄県那覇市", region: "WEST" },
];

export const REGION_WEIGHTS: readonly (readonly [Region, number])[] = [
  ["TOKYO", 38],
  ["KANTO", 20],
  ["KANSAI", 16],
  ["CHUBU", 10],
  ["KYUSHU", 7],
  ["NORTH", 5],
  ["WEST", 4],
];

/** The Shinjuku store where the attackers bought e-cigarette cartridges (≈ ¥730,000 in the real case). */
export const SHINJUKU_STORE_CODE = "S-SHINJUKU-01";
/** The stores the attackers' runners used. */
export const ATTACK_STORE_CODES = [
  "S-SHINJUKU-01",
  "S-IKEBUKURO-02",
  "S-AKIHABARA-01",
  "S-UENO-01",
  "S-KABUKICHO-01",
] as const;

export type CategoryCode =
  | "ECIG_CARTRIDGE"
  | "TOBACCO"
  | "GIFT_CARD"
  | "ELECTRONICS"
  | "ALCOHOL"
  | "FOOD"
  | "DRINK"
  | "DAILY_GOODS"
  | "MAGAZINE";

export interface Product {
  category: CategoryCode;
  description: string;
  unitPrice: number;
}

const product = (category: CategoryCode, description: string, unitPrice: number): Product => ({
  category,
  description,
  unitPrice,
});

// 2019 prices (before the October consumption-tax rise).
export const PRODUCTS: Record<CategoryCode, readonly Product[]> = {
  ECIG_CARTRIDGE: [
    product("ECIG_CARTRIDGE", "加熱式たばこ用スティック カートン(10箱)", 4700),
    product("ECIG_CARTRIDGE", "加熱式たばこ用カプセル カートン(10箱)", 4600),
    product("ECIG_CARTRIDGE", "加熱式たばこ用ネオスティック カートン(10箱)", 4500),
    product("ECIG_CARTRIDGE", "加熱式たばこ用スティック 1箱", 470),
  ],
  TOBACCO: [
    product("TOBACCO", "紙巻たばこ メンソール カートン", 4800),
    product("TOBACCO", "紙巻たばこ レギュラー カートン", 5100),
    product("TOBACCO", "紙巻たばこ 1箱", 480),
    product("TOBACCO", "紙巻たばこ ライト 1箱", 510),
  ],
  GIFT_CARD: [
    product("GIFT_CARD", "プリペイドカード(アプリストア) 10,000円", 10000),
    product("GIFT_CARD", "プリペイドカード(通販サイト) 5,000円", 5000),
    product("GIFT_CARD", "プリペイドカード(ゲーム) 3,000円", 3000),
    product("GIFT_CARD", "プリペイドカード(音楽配信) 1,500円", 1500),
  ],
  ELECTRONICS: [
    product("ELECTRONICS", "ワイヤレスイヤホン", 4980),
    product("ELECTRONICS", "モバイルバッテリー 10000mAh", 3980),
    product("ELECTRONICS", "microSDカード 64GB", 2980),
    product("ELECTRONICS", "USB充電ケーブル", 1280),
  ],
  ALCOHOL: [
    product("ALCOHOL", "缶ビール 350ml", 218),
    product("ALCOHOL", "缶チューハイ 500ml", 198),
    product("ALCOHOL", "日本酒 300ml", 498),
    product("ALCOHOL", "ワイン ハーフボトル", 980),
  ],
  FOOD: [
    product("FOOD", "おにぎり 鮭", 130),
    product("FOOD", "おにぎり ツナマヨネーズ", 120),
    product("FOOD", "幕の内弁当", 498),
    product("FOOD", "ミックスサンド", 298),
    product("FOOD", "カップ麺", 198),
    product("FOOD", "からあげ棒", 128),
    product("FOOD", "サラダチキン", 218),
    product("FOOD", "メロンパン", 138),
    product("FOOD", "おでん 3品", 300),
    product("FOOD", "アイスクリーム", 150),
  ],
  DRINK: [
    product("DRINK", "緑茶 500ml", 150),
    product("DRINK", "ミネラルウォーター 550ml", 110),
    product("DRINK", "缶コーヒー", 130),
    product("DRINK", "カフェラテ(店内ドリップ)", 150),
    product("DRINK", "スポーツドリンク 500ml", 150),
    product("DRINK", "エナジードリンク", 210),
  ],
  DAILY_GOODS: [
    product("DAILY_GOODS", "ポケットティッシュ 6個", 198),
    product("DAILY_GOODS", "ボールペン", 110),
    product("DAILY_GOODS", "乾電池 単3形 4本", 398),
    product("DAILY_GOODS", "歯ブラシ", 198),
    product("DAILY_GOODS", "マスク 7枚入", 398),
    product("DAILY_GOODS", "ビニール傘", 550),
  ],
  MAGAZINE: [
    product("MAGAZINE", "週刊少年漫画誌", 260),
    product("MAGAZINE", "週刊誌", 420),
    product("MAGAZINE", "ファッション誌", 780),
  ],
};

/** IPv4 /16 prefixes by purpose, kept disjoint so an ordinary traveller never reuses an attacker's address. */
export const JP_IP_PREFIXES = [
  "126.33",
  "126.152",
  "126.204",
  "49.98",
  "49.104",
  "1.75",
  "110.163",
  "153.156",
  "180.12",
  "219.100",
  "106.128",
  "27.84",
  "60.34",
  "114.160",
  "133.106",
  "203.165",
] as const;
export const TRAVEL_IP_PREFIXES: Record<string, readonly string[]> = {
  US: ["73.162", "98.207", "172.58"],
  KR: ["121.134", "1.234"],
  TW: ["1.169", "114.36"],
  TH: ["171.96", "184.22"],
  SG: ["116.14"],
  FR: ["90.63"],
  CN: ["123.114"],
};
export const TRAVEL_COUNTRY_WEIGHTS: readonly (readonly [string, number])[] = [
  ["US", 25],
  ["KR", 20],
  ["TW", 20],
  ["TH", 12],
  ["SG", 8],
  ["FR", 7],
  ["CN", 8],
];
export const ATTACKER_IP_PREFIXES: Record<string, readonly string[]> = {
  CN: ["36.110", "58.218", "117.136", "183.232", "220.181"],
  VN: ["14.177", "113.185", "171.244"],
  KR: ["211.234", "175.223"],
  HK: ["103.97", "119.236"],
  SG: ["128.199"],
  US: ["45.76"],
};
export const ATTACKER_COUNTRY_WEIGHTS: readonly (readonly [string, number])[] = [
  ["CN", 45],
  ["VN", 20],
  ["KR", 12],
  ["HK", 12],
  ["SG", 6],
  ["US", 5],
];

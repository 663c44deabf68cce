// Round nine of caller words (ADR 119): what round eight left unread — a prefecture run into the name, a place before
// a hiragana name, a mail provider named without an @, digits said in kana, a six-digit birth date, "'85.3.12", サン
// run into a katakana name — and the phrasings tried after them.
import { describe, expect, it } from "vitest";
import { nameAlternatives } from "~/accounts/search-name-alternatives";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`refused: ${raw}`);
  return parsed.terms;
}

describe("a prefecture run into the name without の", () => {
  it.each([
    ["東京都佐藤翔太", "佐藤翔太", "東京都"],
    ["大阪府佐藤さん 1985", "佐藤", "大阪府"],
    ["北海道サトウ ショウタ", "サトウ ショウタ", "北海道"],
  ])("%s is the name %s, and the prefecture is recognised", (typed, name, prefecture) => {
    expect(terms(typed)).toMatchObject({ name, prefecture, notUnderstood: [] });
  });

  it.each(["東京都新宿区西新宿2-8-1", "埼玉県さいたま市", "東京都中野区中央", "京都府京都市"])(
    "%s, with a city, ward or district after the prefecture, is still an address",
    (typed) => {
      expect(parseSearchQuery(typed)).toMatchObject({
        ok: false,
        notUnderstood: [{ text: typed, kind: "address" }],
      });
    },
  );
});

describe("a bare prefecture or a city before a hiragana name", () => {
  it("千葉のさとう stays one name as typed, and is also tried as さとう", () => {
    expect(terms("千葉のさとう").name).toBe("千葉 のさとう");
    expect(nameAlternatives("千葉 のさとう")).toContain("さとう");
    expect(nameAlternatives("横浜市 のさとう しょうた")).toContain("さとう しょうた");
  });

  it("千葉のぞみ is tried as typed first", () => {
    expect(nameAlternatives("千葉 のぞみ")[0]).not.toBe("ぞみ");
  });
});

describe("a mail provider named without an @", () => {
  it.each([
    ["佐藤 gmail", "gmail.com"],
    ["佐藤 Gメール", "gmail.com"],
    ["佐藤 ドコモメール", "docomo.ne.jp"],
    ["佐藤 ヤフーメール", "yahoo.co.jp"],
    ["ヤフーのメール 佐藤", "yahoo.co.jp"],
    ["佐藤 iCloud", "icloud.com"],
  ])("%s is the name and the domain %s", (typed, domain) => {
    expect(terms(typed)).toMatchObject({ name: "佐藤", emailDomain: domain, notUnderstood: [] });
  });

  it.each([
    ["佐藤 ドコモ", "ドコモ"],
    ["佐藤 au", "au"],
    ["佐藤 ソフトバンク", "ソフトバンク"],
    ["佐藤 ヤフー", "ヤフー"],
  ])("%s: a carrier said alone may be the phone's, so it is named, never searched", (typed, provider) => {
    expect(terms(typed)).toMatchObject({
      name: "佐藤",
      emailDomain: null,
      notUnderstood: [{ text: provider, kind: "provider" }],
    });
  });

  it.each(["佐藤 sato アット gmail", "佐藤 メアド sato アット docomo"])(
    "%s: the @ said with spaces before a domain without its suffix is the part before the @",
    (typed) => {
      expect(terms(typed)).toMatchObject({ name: "佐藤", emailLocal: "sato" });
    },
  );

  it("a provider's name inside an address stays the address", () => {
    expect(terms("sato.gmail@docomo.ne.jp").email).toBe("sato.gmail@docomo.ne.jp");
  });
});

describe("a space inside an email's local part", () => {
  it("yamada taro@gmail.com stays a name and an address, as before", () => {
    expect(terms("yamada taro@gmail.com")).toMatchObject({ name: "yamada", email: "taro@gmail.com" });
  });
});

describe("digits said in kana", () => {
  it.each([
    ["ゼロキュウゼロ イチニサンヨン ゴロクナナハチ", "+819012345678"],
    ["ゼロキューゼロのイチニーサンヨンのゴーロクナナハチ", "+819012345678"],
    ["佐藤 マルハチマル-イチニサンヨン-ゴロクナナハチ", "+818012345678"],
    ["ぜろきゅうぜろ いちにさんよん ごろくななはち", "+819012345678"],
  ])("%s is the phone number %s", (typed, phone) => {
    expect(terms(typed)).toMatchObject({ phone, lastFour: [] });
    expect(terms(typed).name ?? "佐藤").toBe("佐藤");
  });

  it.each(["佐藤 イチニサンヨン", "佐藤 電話番号の下四桁はイチニサンヨン", "佐藤 イチ ニ サン ヨン"])(
    "%s is the last four 1234",
    (typed) => {
      expect(terms(typed)).toMatchObject({ name: "佐藤", lastFour: ["1234"] });
    },
  );

  it("ゼロサン イチニサンヨン ゴロクナナハチ: a two-digit area code from 0 is a group", () => {
    expect(terms("ゼロサン イチニサンヨン ゴロクナナハチ").phone).toBe("+81312345678");
  });

  it.each([
    ["佐藤 ニシ イチニサンヨン", "佐藤 ニシ"],
    ["佐藤 ナナ イチニサンヨン", "佐藤 ナナ"],
  ])("%s: a name of digit words beside the digits stays the name", (typed, name) => {
    expect(terms(typed)).toMatchObject({ name, lastFour: ["1234"] });
  });

  it.each(["ナナ", "サトウ レイ", "ニシ ナナ", "イチゴ", "サンゴ", "サトウイチロウ", "ナナミ ゴロウ"])(
    "%s, fewer than four digits or a name that goes on, stays a name",
    (typed) => {
      expect(terms(typed).name).toBe(typed);
    },
  );
});

describe("a six-digit birth date", () => {
  it.each([
    ["佐藤 翔太 850312", "1985-03-12"],
    ["佐藤翔太850312", "1985-03-12"],
    ["850312", "1985-03-12"],
  ])("%s is born on %s", (typed, date) => {
    expect(terms(typed)).toMatchObject({ birthDate: date, notUnderstood: [] });
  });

  it.each([
    ["佐藤 050312", "050312"],
    ["佐藤 090123", "090123"],
    ["佐藤 851332", "851332"],
  ])("%s: a leading 0 (a phone's start) or no calendar date stays digits not understood", (typed, digits) => {
    expect(terms(typed)).toMatchObject({ birthDate: null, notUnderstood: [{ text: digits, kind: "digits" }] });
  });

  it("a phone number read from its six-digit first half is still the phone number", () => {
    expect(terms("佐藤 801012 3456")).toMatchObject({ phone: "+818010123456", birthDate: null });
  });
});

describe("a two-digit year with dots after an apostrophe", () => {
  it.each(["佐藤 '85.3.12", "佐藤 ’85/3/12", "佐藤 '85-03-12"])("%s is born on 12 March 1985", (typed) => {
    expect(terms(typed)).toMatchObject({ birthDate: "1985-03-12", notUnderstood: [] });
  });
});

describe("サン run into a katakana name", () => {
  it("ｻﾄｳｻﾝ is tried as サトウ when nobody holds サトウサン; ハッサン never loses its サン", () => {
    expect(terms("ｻﾄｳｻﾝ").name).toBe("サトウサン");
    expect(nameAlternatives("サトウサン")).toContain("サトウ");
    expect(nameAlternatives("サトウサン ショウタ")).not.toContain("サトウ ショウタ");
    expect(nameAlternatives("ハッサン")).not.toContain("ハッ");
  });
});

describe("phrasings tried this round", () => {
  it.each([
    ["佐藤 会員ID W00012345", { name: "佐藤", displayIds: ["W-00012345"] }],
    ["佐藤 ご主人", { name: "佐藤" }],
    ["佐藤 翔太 の 奥様", { name: "佐藤 翔太" }],
    ["佐藤 翔太 旦那さん", { name: "佐藤 翔太" }],
    ["佐藤 翔太(旧姓 鈴木)", { name: "佐藤 翔太 鈴木" }],
    ["旧姓鈴木 佐藤翔太", { name: "鈴木 佐藤翔太" }],
    ["佐藤様のアカウント", { name: "佐藤" }],
    ["佐藤 翔太 ご本人様", { name: "佐藤 翔太" }],
    ["佐藤 翔太 表示ID 00012345", { name: "佐藤 翔太", displayIds: ["W-00012345"] }],
    ["佐藤 翔太 wallet ID 00012345", { name: "佐藤 翔太", displayIds: ["W-00012345"] }],
    ["佐藤 翔太 @docomo", { name: "佐藤 翔太", emailDomain: "docomo.ne.jp" }],
    ["佐藤 sato アンダーバー shota@docomo.ne.jp", { name: "佐藤", email: "sato_shota@docomo.ne.jp" }],
    ["佐藤 sato ハイフン shota アット docomo.ne.jp", { name: "佐藤", email: "sato-shota@docomo.ne.jp" }],
  ])("%s → %j", (typed, expected) => {
    expect(terms(typed)).toMatchObject({ ...expected, notUnderstood: [] });
  });

  it.each(["佐藤 翔太 40代男性", "佐藤 翔太（男・40）", "佐藤 翔太 男40", "佐藤 翔太 age 40"])(
    "%s names 40 as an age",
    (typed) => {
      expect(terms(typed)).toMatchObject({ name: "佐藤 翔太", notUnderstood: [{ text: "40", kind: "age" }] });
    },
  );

  it("佐藤一男 40: a name ending in 男 keeps it", () => {
    expect(terms("佐藤一男 40")).toMatchObject({ name: "佐藤一男", notUnderstood: [{ text: "40", kind: "digits" }] });
  });

  it("@ocn, a domain without its suffix the parser does not know, is named as a provider", () => {
    expect(terms("佐藤 @ocn")).toMatchObject({ name: "佐藤", notUnderstood: [{ text: "@ocn", kind: "provider" }] });
  });
});

describe("every new form hands the search the facts of a form read before", () => {
  it.each([
    ["東京都佐藤翔太 1985", "東京都 佐藤翔太 1985"],
    ["佐藤 ドコモメール", "佐藤 @docomo.ne.jp"],
    ["佐藤 イチニサンヨン", "佐藤 1234"],
    ["佐藤 850312", "佐藤 1985-03-12"],
    ["佐藤 '85.3.12", "佐藤 1985-03-12"],
    ["ゼロキュウゼロ イチニサンヨン ゴロクナナハチ", "090-1234-5678"],
  ])("%s → the facts of %s", (typed, plain) => {
    expect(terms(typed).facts).toEqual(terms(plain).facts);
  });
});

// Round eight of caller words (ADR 117): where the caller lives said before the name with の, a phone number read
// out with の between its groups, the last four and an email's parts described in words, a date or an era initial run
// into the name, a passport's date, an age in brackets, a phone's model named, and the digits of a last four said one
// by one.
import { describe, expect, it } from "vitest";
import { nameAlternatives } from "~/accounts/search-name-alternatives";
import { parseSearchQuery } from "~/accounts/search-query.server";

function terms(raw: string) {
  const parsed = parseSearchQuery(raw);
  if (!parsed.ok) throw new Error(`refused: ${raw}`);
  return parsed.terms;
}

describe("where the caller lives, said before the name with の", () => {
  it.each([
    ["東京都の佐藤さん", "佐藤", "東京都", []],
    ["大阪府在住の佐藤翔太", "佐藤翔太", "大阪府", []],
    ["東京都新宿区の佐藤翔太", "佐藤翔太", "東京都", [{ text: "東京都新宿区", kind: "address" }]],
    ["大阪の佐藤翔太 1985", "佐藤翔太", null, [{ text: "大阪", kind: "address" }]],
    ["横浜市の佐藤 翔太", "佐藤 翔太", null, [{ text: "横浜市", kind: "address" }]],
  ])("%s is the name %s; the place is set aside", (typed, name, prefecture, notUnderstood) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe(name);
    expect(parsed.prefecture).toBe(prefecture);
    expect(parsed.notUnderstood).toEqual(notUnderstood);
  });

  it.each(["中村の佐藤", "木の下 翔太", "千葉のぞみ", "石川のりこ 1985", "高市のぶこ"])(
    "%s keeps its の: no place, or a family name before a hiragana given name",
    (typed) => {
      expect(terms(typed).name).toContain("の");
      expect(terms(typed).notUnderstood).toEqual([]);
    },
  );
});

describe("a phone number read out with の between its groups", () => {
  it.each(["090の1234の5678", "電話は090の1234の5678です", "〇九〇の一二三四の五六七八", "佐藤 080の1234の5678"])(
    "%s is one phone number",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.phone).toMatch(/^\+81[89]012345678$/);
      expect(parsed.lastFour).toEqual([]);
      expect(parsed.name ?? "佐藤").toBe("佐藤");
    },
  );
});

describe("the last four described in words", () => {
  it.each([
    "電話の最後が5678",
    "佐藤 最後は5678",
    "5678で終わる番号",
    "佐藤 5678で終わる携帯",
    "お尻4桁5678",
    "佐藤 おしりの4桁 5678",
    "佐藤 末尾は5678番",
    "佐藤 クレジット末尾5678",
    "佐藤 VISAの5678",
    "佐藤 下4桁 5 6 7 8",
  ])("%s is the last four 5678, and no word of it is a name", (typed) => {
    const parsed = terms(typed);
    expect(parsed.lastFour).toEqual(["5678"]);
    expect(parsed.name ?? "佐藤").toBe("佐藤");
    expect(parsed.notUnderstood).toEqual([]);
  });
});

describe("single digits read out", () => {
  it.each(["佐藤 1 2 3 4 5", "佐藤 9 1 2 3 4"])("%s, five of them, is no last four", (typed) => {
    expect(terms(typed).lastFour).toEqual([]);
  });
});

describe("an email's parts described in words", () => {
  it.each(["佐藤 ドメインはdocomo.ne.jp", "佐藤 メールのドメインは docomo.ne.jp"])("%s is the domain only", (typed) => {
    const parsed = terms(typed);
    expect(parsed.emailDomain).toBe("docomo.ne.jp");
    expect(parsed.emailLocal).toBeNull();
    expect(parsed.name).toBe("佐藤");
  });

  it("ドメインはdocomo.ne.jp alone is a domain, which asks for the name", () => {
    expect(parseSearchQuery("ドメインはdocomo.ne.jp")).toMatchObject({ ok: false, code: "addName" });
  });

  it.each(["@の前はsato.shota85", "アットマークの前は sato.shota85", "佐藤 アットの前がsato.shota85"])(
    "%s is the part before the @",
    (typed) => {
      const parsed = terms(typed);
      expect(parsed.emailLocal).toBe("sato.shota85");
      expect(parsed.name ?? "佐藤").toBe("佐藤");
    },
  );

  it.each(["sato.shota85アットdocomo.ne.jp", "sato.shota85あっとまーくdocomo.ne.jp"])(
    "%s, the @ said without spaces, is the email",
    (typed) => {
      expect(terms(typed).email).toBe("sato.shota85@docomo.ne.jp");
      expect(terms(typed).name).toBeNull();
    },
  );
});

describe("a birth date or year said around the name", () => {
  it.each([
    ["佐藤翔太S60", 1985, null],
    ["佐藤翔太H2年生", 1990, null],
    ["1985/3/12佐藤翔太", 1985, "1985-03-12"],
    ["佐藤翔太 1985年の3月12日", 1985, "1985-03-12"],
    ["佐藤翔太 1985年うまれ", 1985, null],
    ["佐藤翔太 生まれ年は1985", 1985, null],
    ["佐藤翔太 1985生", 1985, null],
    ["SATO SHOTA 12MAR1985", 1985, "1985-03-12"],
    ["SATO SHOTA 12-MAR-1985", 1985, "1985-03-12"],
  ])("%s is born in %i (%s), and the name is only the name", (typed, year, date) => {
    const parsed = terms(typed);
    expect(parsed.birthYear).toBe(year);
    expect(parsed.birthDate).toBe(date);
    expect(parsed.name?.toLowerCase().replace(" ", "")).toMatch(/^(佐藤翔太|satoshota)$/);
    expect(parsed.notUnderstood).toEqual([]);
  });

  it("an email's local part shaped like a passport date stays the email", () => {
    expect(terms("12mar1985@docomo.ne.jp").email).toBe("12mar1985@docomo.ne.jp");
  });

  it("S60年 run into the name is the year, and S is no part of the name", () => {
    expect(terms("佐藤S60年生まれ")).toMatchObject({ name: "佐藤", birthYear: 1985 });
  });
});

describe("an age in brackets after the name", () => {
  it.each(["佐藤翔太（34）", "佐藤 翔太 (34)", "佐藤翔太さん(34歳)"])("%s names 34 as an age", (typed) => {
    const parsed = terms(typed);
    expect(parsed.nameKey).toBe("佐藤翔太");
    expect(parsed.notUnderstood).toEqual([{ text: "34", kind: "age" }]);
  });

  it.each([
    ["045(123)4567", "+81451234567"],
    ["(03)1234-5678", "+81312345678"],
  ])("%s, a landline with its area code or exchange in brackets, is still a phone number", (typed, phone) => {
    expect(terms(typed).phone).toBe(phone);
  });
});

describe("labels and words that are no name", () => {
  it.each([
    ["固定 03-1234-5678", "+81312345678"],
    ["自宅電話03-1234-5678", "+81312345678"],
    ["TEL.090-1234-5678", "+819012345678"],
    ["Tel. 090-1234-5678", "+819012345678"],
  ])("%s is the phone number only", (typed, phone) => {
    const parsed = terms(typed);
    expect(parsed.phone).toBe(phone);
    expect(parsed.name).toBeNull();
    expect(parsed.emailLocal).toBeNull();
  });

  it.each([
    ["ｻﾄｳ ｼｮｳﾀ ﾃﾞｽ", "サトウ ショウタ"],
    ["サトウショウタデス", "サトウショウタ"],
  ])("%s: デス typed in katakana is no name", (typed, name) => {
    expect(terms(typed).name).toBe(name);
  });

  it.each([
    ["佐藤 翔太 iPhone", "iPhone"],
    ["佐藤 翔太 アンドロイド", "アンドロイド"],
    ["端末はiPhone 佐藤 翔太", "iPhone"],
    ["佐藤 翔太 スマホはAndroid", "Android"],
  ])("%s: the phone's model is named, never searched as a name", (typed, model) => {
    const parsed = terms(typed);
    expect(parsed.name).toBe("佐藤 翔太");
    expect(parsed.notUnderstood).toEqual([{ text: model, kind: "device" }]);
  });
});

describe("slips and run-on words around the facts", () => {
  it.each([
    ["O9O-1234-5678", "+819012345678"],
    ["佐藤翔太様　ＴＥＬ０９０－１２３４－５６７８", "+819012345678"],
  ])("%s is the phone number", (typed, phone) => {
    expect(terms(typed).phone).toBe(phone);
    expect(terms(typed).emailLocal).toBeNull();
  });

  it("sato.shota85@docomo,ne,jp: commas for each dot of the domain", () => {
    expect(terms("sato.shota85@docomo,ne,jp").email).toBe("sato.shota85@docomo.ne.jp");
  });

  it("端末ID before a fingerprint is a label", () => {
    const parsed = terms("端末ID 4175ca2cc406dd29");
    expect(parsed.name).toBeNull();
    expect(parsed.fingerprint).toBe("4175ca2cc406dd29");
  });

  it.each([
    ["佐藤さんの携帯の下4桁1234", { name: "佐藤", lastFour: ["1234"] }],
    ["佐藤のメールはsato@docomo.ne.jp", { name: "佐藤", email: "sato@docomo.ne.jp" }],
    ["佐藤 翔太 5678が電話の下4桁", { name: "佐藤 翔太", lastFour: ["5678"] }],
    ["佐藤 翔太 生年月日 S60 3 12", { name: "佐藤 翔太", birthDate: "1985-03-12" }],
    ["佐藤 翔太 1985年 の 3月 12日", { name: "佐藤 翔太", birthDate: "1985-03-12" }],
  ])("%s → %j", (typed, expected) => {
    expect(terms(typed)).toMatchObject({ ...expected, notUnderstood: [] });
  });

  it.each(["佐藤 翔太 年齢34", "佐藤 翔太 34歳男性"])("%s names 34 as an age, and the name is the name", (typed) => {
    expect(terms(typed)).toMatchObject({ name: "佐藤 翔太", notUnderstood: [{ text: "34", kind: "age" }] });
  });

  it.each(["あやの", "佐藤 ひの"])("%s keeps a hiragana name's last の", (typed) => {
    expect(terms(typed).name).toMatch(/の$/);
  });
});

describe("籐 typed for 藤", () => {
  it("佐籐 翔太 is also tried as 佐藤 翔太; 佐藤 is never tried as 佐籐", () => {
    expect(nameAlternatives("佐籐 翔太")).toContain("佐藤 翔太");
    expect(nameAlternatives("佐藤 翔太").join(" ")).not.toContain("籐");
  });
});

describe("every new form hands the search the facts of a form read before", () => {
  it.each([
    ["佐藤翔太S60", "佐藤翔太 S60"],
    ["090の1234の5678", "090-1234-5678"],
    ["佐藤 @の前はsato.shota85", "佐藤 sato.shota85@"],
    ["佐藤 ドメインはdocomo.ne.jp", "佐藤 @docomo.ne.jp"],
    ["東京都の佐藤さん 1985", "佐藤 東京都 1985"],
    ["電話の最後が5678 佐藤", "佐藤 5678"],
  ])("%s → the facts of %s", (typed, plain) => {
    expect(terms(typed).facts).toEqual(terms(plain).facts);
  });
});

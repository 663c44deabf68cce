// The reader of English left on a Japanese page (tests/support/english-words.ts): it must see an English sentence
// wherever a reader would (text, labels read aloud), and pass over code, codes and data.
import { describe, expect, it } from "vitest";
import { englishWordsIn } from "../support/english-words";

describe("englishWordsIn", () => {
  it("finds English in the text and in the attributes a reader meets", () => {
    const html = '<p>保存しました。Saved</p><input placeholder="Search accounts"><button aria-label="Close">×</button>';
    expect(englishWordsIn(html)).toEqual(["Saved", "Search", "accounts", "Close"]);
  });

  it("passes over scripts, code, codes, addresses, ids, allowed names and the records' own data", () => {
    const html =
      "<script>var English = 1</script><p>Firebreak の <code>npm run seed</code>、INC-3F2A、topup.all、" +
      "sato@example.com、SECURITY_LEAD、00000000-0000-0000-0000-000000000000、JST、テスト店 (Shinjuku)</p>";
    expect(englishWordsIn(html, ["Shinjuku"])).toEqual([]);
  });
});

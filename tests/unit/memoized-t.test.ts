// A render instance answers plain labels from memory and fills simple placeholders itself (app/i18n/memoized-t.ts):
// every key of every namespace must read the same as i18next's own answer, in both languages, on the second call and
// with values of every awkward shape; answers with values are never kept.
import { createInstance, type i18n as I18n } from "i18next";
import { describe, expect, it, vi } from "vitest";
import { i18nConfig, SUPPORTED_LANGUAGES } from "~/i18n/config";
import { memoizeLabelLookups } from "~/i18n/memoized-t";
import { en, NAMESPACES } from "~/i18n/resources";
import { leafKeys } from "../support/translation-keys";

function instanceIn(language: string): I18n {
  const instance = createInstance();
  void instance.init({ ...i18nConfig, lng: language });
  return instance;
}

describe("memoized label look-ups", () => {
  for (const language of SUPPORTED_LANGUAGES) {
    it(`answers every key as i18next does (${language}), through getFixedT and directly, twice`, () => {
      const plain = instanceIn(language);
      const memoized = memoizeLabelLookups(instanceIn(language));
      for (const ns of NAMESPACES) {
        const expected = plain.getFixedT(null, ns);
        const actual = memoized.getFixedT(null, ns);
        for (const key of leafKeys(en[ns])) {
          for (let round = 0; round < 2; round++) {
            expect({ ns, key, t: actual(key as never) }).toEqual({ ns, key, t: expected(key as never) });
            expect(memoized.t(`${ns}:${key}` as never)).toBe(plain.t(`${ns}:${key}` as never));
          }
        }
      }
      // A key with a prefix, another language asked for, a missing key: each its own answer.
      const other = language === "ja" ? "en" : "ja";
      expect(memoized.getFixedT(other, "common")("appName" as never)).toBe(
        plain.getFixedT(other, "common")("appName" as never),
      );
      expect(memoized.getFixedT(null, "common", "errorPage")("title" as never)).toBe(
        plain.getFixedT(null, "common", "errorPage")("title" as never),
      );
      expect(memoized.t("common:no.such.key" as never)).toBe(plain.t("common:no.such.key" as never));
    });
  }

  it("looks a label up once, also through useTranslation's getFixedT(null, ns)", () => {
    const instance = memoizeLabelLookups(instanceIn("ja"));
    const { translator } = instance as unknown as { translator: { translate: () => unknown } };
    const lookUp = vi.spyOn(translator, "translate");
    const t = instance.getFixedT(null, "common");
    const first = t("appName" as never);
    expect(t("appName" as never)).toBe(first);
    expect(instance.getFixedT(null, "common")("appName" as never)).toBe(first);
    expect(lookUp).toHaveBeenCalledTimes(1);
  });

  // Values that i18next treats specially when it replaces text: "$" patterns, nesting, braces, empty, numbers.
  const AWKWARD_VALUES: unknown[] = ["佐藤 花子", "$& $1 $$ $'", "$t(common:appName)", "{{other}}", "", 0, 12.5, -3];

  for (const language of SUPPORTED_LANGUAGES) {
    it(`fills every key's placeholders as i18next does (${language}), whatever the values`, () => {
      const plain = instanceIn(language);
      const memoized = memoizeLabelLookups(instanceIn(language));
      let filledKeys = 0;
      for (const ns of NAMESPACES) {
        const expected = plain.getFixedT(null, ns);
        const actual = memoized.getFixedT(null, ns);
        for (const key of leafKeys(en[ns])) {
          const label = plain.getFixedT(null, ns)(key as never) as string;
          const names = [...label.matchAll(/\{\{-?\s*([A-Za-z0-9_]+)[^}]*\}\}/g)].map((match) => match[1]!);
          if (names.length === 0) continue;
          filledKeys += 1;
          for (let i = 0; i < AWKWARD_VALUES.length; i++) {
            // Each placeholder its own value, rotating through the awkward ones; then one missing, then one extra.
            const values = Object.fromEntries(
              names.map((name, j) => [name, AWKWARD_VALUES[(i + j) % AWKWARD_VALUES.length]]),
            );
            for (const options of [values, { ...values, [names[0]!]: undefined }, { ...values, extra: "x" }]) {
              for (let round = 0; round < 2; round++) {
                expect({ ns, key, options, t: actual(key as never, options as never) }).toEqual({
                  ns,
                  key,
                  options,
                  t: expected(key as never, options as never),
                });
              }
            }
          }
        }
      }
      expect(filledKeys).toBeGreaterThan(100);
    });
  }

  it("fills a label with values without going through i18next again", () => {
    const instance = memoizeLabelLookups(instanceIn("en"));
    instance.addResource("en", "common", "fillTest", "Opened {{at}} by {{name}}");
    const { translator } = instance as unknown as { translator: { translate: () => unknown } };
    const lookUp = vi.spyOn(translator, "translate");
    const t = instance.getFixedT(null, "common");
    expect(t("fillTest" as never, { at: "12:00", name: "A" } as never)).toBe("Opened 12:00 by A");
    expect(t("fillTest" as never, { at: "13:00", name: "B" } as never)).toBe("Opened 13:00 by B");
    expect(lookUp).toHaveBeenCalledTimes(1);
    // A count is i18next's (plurals), as is a value that is not text.
    expect(t("fillTest" as never, { at: "1", name: "C", count: 2 } as never)).toBe("Opened 1 by C");
    expect(t("fillTest" as never, { at: new Date(0), name: "D" } as never)).toContain("by D");
    expect(lookUp).toHaveBeenCalledTimes(3);
  });

  it("never keeps an answer that depends on values", () => {
    const instance = memoizeLabelLookups(instanceIn("en"));
    instance.addResource("en", "common", "memoTest", "Hello {{name}}");
    instance.addResource("en", "common", "memoCount_one", "{{count}} item");
    instance.addResource("en", "common", "memoCount_other", "{{count}} items");
    const t = instance.getFixedT(null, "common");
    expect(t("memoTest" as never, { name: "A" } as never)).toBe("Hello A");
    expect(t("memoTest" as never, { name: "B" } as never)).toBe("Hello B");
    expect(t("memoCount" as never, { count: 1 } as never)).toBe("1 item");
    expect(t("memoCount" as never, { count: 2 } as never)).toBe("2 items");
    expect(t("memoTest" as never, "fallback" as never)).toBe("Hello {{name}}");
  });
});

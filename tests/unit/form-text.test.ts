// The one form reader: what it refuses (NUL and other control characters, lone surrogates, absurd lengths), what it
// lets through (tabs and line breaks, emoji, Japanese), and that no action in app/routes reads a form around it.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { findHostileFormEntry, MAX_FORM_VALUE_LENGTH, parseForm, readForm } from "~/lib/form.server";
import { findHostileText, formText, hasLineBreak, uuidField } from "~/lib/form-text";
import { z } from "zod";

function post(fields: Record<string, string>): Request {
  return new Request("http://localhost/x", { method: "POST", body: new URLSearchParams(fields) });
}

describe("findHostileText", () => {
  it("refuses NUL, other C0/C1 controls, DEL and lone surrogates", () => {
    for (const value of ["a\u0000b", "\u0001", "\u001b[31m", "\u007f", "\u0085", "\uD800", "x\uDC00y", "\uDBFF"]) {
      expect(findHostileText(value, { multiline: true }), JSON.stringify(value)).not.toBeNull();
    }
  });

  it("lets ordinary text through, line breaks and tabs only when multiline", () => {
    for (const value of ["", "佐藤 一郎", "😀👍🏽", "' OR 1=1 --", "<b>x</b>", "=SUM(A1)", "全角　スペース"]) {
      expect(findHostileText(value)).toBeNull();
    }
    expect(findHostileText("a\nb\r\n\tc", { multiline: true })).toBeNull();
    expect(findHostileText("a\nb")).toBe("lineBreak");
  });

  it("a single-line value refuses every line break (CR, LF, U+2028, U+2029) and tabs; multiline keeps them", () => {
    for (const value of ["a\nb", "a\rb", "Subject\r\nBcc: x@example.com", "a\u2028b", "a\u2029b"]) {
      expect(findHostileText(value), JSON.stringify(value)).toBe("lineBreak");
      expect(hasLineBreak(value)).toBe(true);
      expect(findHostileText(value, { multiline: true }), JSON.stringify(value)).toBeNull();
    }
    expect(findHostileText("a\tb")).toBe("controlCharacters");
    // NEL, VT and FF are control characters wherever they appear.
    for (const value of ["a\u0085b", "a\u000bb", "a\u000cb"]) {
      expect(findHostileText(value, { multiline: true }), JSON.stringify(value)).toBe("controlCharacters");
    }
    expect(hasLineBreak("佐藤 一郎 — no break")).toBe(false);
  });

  it("any well-formed string without control characters passes", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (value) => {
        // eslint-disable-next-line no-control-regex
        fc.pre(!/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/.test(value));
        expect(findHostileText(value)).toBeNull();
      }),
    );
  });
});

describe("readForm", () => {
  it("answers a hostile value with a 400 that names the field and does not repeat the value", async () => {
    const thrown = await readForm(post({ ok: "fine", note: "secret\u0000value" }), "en").catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    const response = thrown as Response;
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toContain("“note”");
    expect(text).not.toContain("secret");
  });

  it("refuses a value longer than any field needs, and a hostile field name", () => {
    const long = new URLSearchParams({ big: "a".repeat(MAX_FORM_VALUE_LENGTH + 1) });
    const form = new FormData();
    for (const [k, v] of long) form.set(k, v);
    expect(findHostileFormEntry(form)).toEqual({ field: "big", key: "validation:formValueTooLong" });
    const named = new FormData();
    named.set("a\u0000b", "x");
    expect(findHostileFormEntry(named)?.key).toBe("validation:controlCharacters");
  });

  it("speaks the member's language", async () => {
    const thrown = (await readForm(post({ note: "\u0000" }), "ja").catch((e: unknown) => e)) as Response;
    expect(await thrown.text()).toContain("項目「note」");
  });
});

describe("schema building blocks", () => {
  const Schema = z.object({ title: formText({ max: 10 }), note: formText({ max: 100, multiline: true }).optional() });

  it("formText trims, caps and refuses line breaks unless multiline; messages are translated", async () => {
    const bad = await parseForm(post({ title: "a\nb", note: "x\ny" }), Schema, "en");
    expect(bad.status).toBe("error");
    expect(bad.status === "error" && bad.error?.title?.[0]).toBe("validation:lineBreak");
    // The reply a route returns carries the sentence, in the member's language.
    expect(bad.reply().error?.title?.[0]).toBe("Keep this on one line: remove the line breaks.");
    const ja = await parseForm(post({ title: "a\u2028b" }), Schema, "ja");
    expect(ja.reply().error?.title?.[0]).toBe("改行を含めず、1行で入力してください。");
    const tab = await parseForm(post({ title: "a\tb" }), Schema, "en");
    expect(tab.status === "error" && tab.error?.title?.[0]).toBe("validation:controlCharacters");
    const long = await parseForm(post({ title: "a".repeat(11) }), Schema, "en");
    expect(long.status === "error" && long.error?.title?.[0]).toBe("Enter at most 10 characters.");
    const good = await parseForm(post({ title: "  ok  ", note: "x\ny" }), Schema, "en");
    expect(good.status).toBe("success");
    expect(good.status === "success" && good.value).toEqual({ title: "ok", note: "x\ny" });
  });

  it("formText takes a form's own messages for a missing, short or long value", () => {
    const Reason = formText({
      min: 3,
      max: 5,
      messages: { required: "x:required", min: "x:short", max: "x:long" },
    });
    const first = (value: unknown) => {
      const result = Reason.safeParse(value);
      return result.success ? null : result.error.issues[0]!.message;
    };
    expect(first(undefined)).toBe("x:required");
    expect(first(" ab ")).toBe("x:short");
    expect(first("abcdef")).toBe("x:long");
    expect(first("ab\ncd")).toBe("validation:lineBreak");
    expect(Reason.safeParse(" abcd ").data).toBe("abcd");
  });

  it("uuidField accepts only a UUID", () => {
    expect(uuidField().safeParse("00000000-0000-4000-8000-000000000000").success).toBe(true);
    for (const value of ["", "not-a-uuid", "a".repeat(1000), "00000000-0000-4000-8000-00000000000g"]) {
      expect(uuidField().safeParse(value).success).toBe(false);
    }
  });
});

describe("every action reads its form through readForm/parseForm", () => {
  it("no route module calls request.formData() itself", () => {
    const dir = path.resolve("app/routes");
    const offenders = readdirSync(dir)
      .filter((file) => /\.tsx?$/.test(file))
      .filter((file) => /\.formData\(\)/.test(readFileSync(path.join(dir, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});

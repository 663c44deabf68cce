// A zod schema's message reaches a member through localizeReply or useMessages, which translate a message written as
// a key ("recovery:validation.cardLast4") and show anything else as it is: an English sentence in a schema is English
// whatever the member's language. This scan finds such sentences in every schema file so that none comes back.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Messages no member reads in the console, each with why.
const ALLOWED_FILES = new Set([
  // Startup errors for the operator who deploys the console.
  path.join("app", "env.server.ts"),
  // Builds zod's own messages from keys (`validation:${key}`).
  path.join("app", "i18n", "translate.server.ts"),
]);

// Single messages no member reads: the kill-switch acknowledgement API answers services, in English.
const ALLOWED_MESSAGES = new Set([
  "instance: 1–100 letters, digits or . _ : -",
  "key: a switch key such as topup.all",
  "applied: list at least one { key, version }",
]);

// "ns:key" or "ns:key.sub" (see translateMessageIn); a template literal such as `validation:${reason}` builds one.
const KEY = /^[a-z][A-Za-z]*:[A-Za-z0-9_.${}]+$/;

// The places a zod schema takes a message: an issue's or errorMap's `message`, required_error / invalid_type_error,
// and the message argument of a check (.min(3, "…"), .regex(/…/, "…"), .email("…"), .refine(fn, "…")).
const MESSAGE_SITES = [
  /\bmessage:\s*(["`])((?:\\.|(?!\1).)*)\1/g,
  /\b(?:required_error|invalid_type_error):\s*(["`])((?:\\.|(?!\1).)*)\1/g,
  /\.(?:min|max|length|regex|email|uuid|url|int|positive|nonnegative|refine)\((?:[^()"`]|\([^()]*\))*?,?\s*(["`])((?:\\.|(?!\1).)*)\1\s*\)/g,
];

function schemaFiles(): string[] {
  return readdirSync("app", { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !name.startsWith(path.join("i18n", "locales")))
    .map((name) => path.join("app", name))
    .filter((file) => !file.startsWith(path.join("app", "generated")))
    .filter((file) => /from "zod"/.test(readFileSync(file, "utf8")));
}

/** Every message given to a zod check in this source that is not written as a key. */
export function proseMessages(source: string): string[] {
  const found: string[] = [];
  for (const site of MESSAGE_SITES) {
    for (const match of source.matchAll(site)) {
      const message = match[2] ?? "";
      if (!KEY.test(message)) found.push(message);
    }
  }
  return found;
}

describe("zod schema messages are translation keys", () => {
  it("finds the schema files and recognises prose", () => {
    expect(schemaFiles()).toContain(path.join("app", "recovery", "schemas.ts"));
    expect(
      proseMessages(`z.string({ required_error: "Choose a role." }).min(3, "auth:validation.chooseRole")`),
    ).toEqual(["Choose a role."]);
    expect(proseMessages(`z.string().regex(/^\\d{4}$/, "Enter the last 4 digits.")`)).toEqual([
      "Enter the last 4 digits.",
    ]);
    expect(proseMessages("ctx.addIssue({ code, message: `At most ${MAX} days.` })")).toEqual(["At most ${MAX} days."]);
    expect(proseMessages(`ctx.addIssue({ code, message: \`validation:\${reason}\` })`)).toEqual([]);
  });

  it("no schema outside the allow-list writes its message as prose", () => {
    const offenders = schemaFiles()
      .filter((file) => !ALLOWED_FILES.has(file))
      .flatMap((file) =>
        proseMessages(readFileSync(file, "utf8"))
          .filter((message) => !ALLOWED_MESSAGES.has(message))
          .map((message) => `${file}: ${message}`),
      );
    expect(offenders).toEqual([]);
  });
});

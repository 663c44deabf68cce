// The password policy answers with the rule broken (a message key and its values), not an English sentence: the staff
// set-up page and the wallet's reset page each show it in their reader's language.
import { describe, expect, it } from "vitest";
import { NewPasswordSchema, passwordProblem, passwordProblemMessage } from "~/auth/password-policy";
import { messageWithValues, readMessageKey } from "~/i18n/fixed-t";
import { translateDomainError, translateMessage } from "~/i18n/translate.server";
import { DomainError } from "~/lib/domain-error";
import { customerPasswordProblem } from "~/wallet/customer-auth.server";

const say = (language: "ja" | "en", password: string, email?: string) => {
  const problem = passwordProblem(password, email);
  return problem ? translateMessage(language, passwordProblemMessage(problem)) : null;
};

describe("the password policy's messages", () => {
  it("names each rule by key, with the numbers its sentence needs", () => {
    expect(passwordProblem("short")).toEqual({ key: "auth:passwordPolicy.tooShort", values: { min: 12 } });
    expect(passwordProblem("x".repeat(129))).toEqual({ key: "auth:passwordPolicy.tooLong", values: { max: 128 } });
    expect(passwordProblem("Password1234")?.key).toBe("auth:passwordPolicy.tooCommon");
    expect(passwordProblem("aaaaaaaaaaaaaa")?.key).toBe("auth:passwordPolicy.repeatedCharacter");
    expect(passwordProblem("my-hanako.sato-password", "hanako.sato@example.test")?.key).toBe(
      "auth:passwordPolicy.containsEmail",
    );
    expect(passwordProblem("a long and unusual passphrase")).toBeNull();
  });

  it("reads in Japanese and in English", () => {
    expect(say("ja", "short")).toBe("パスワードは12文字以上にしてください。");
    expect(say("en", "short")).toBe("Use at least 12 characters.");
    expect(say("ja", "x".repeat(129))).toBe("パスワードは128文字以内にしてください。");
    expect(say("ja", "Password1234")).toBe(
      "このパスワードはよく使われているため使えません。別のものを選んでください。",
    );
    expect(say("ja", "aaaaaaaaaaaaaa")).toBe("同じ文字の繰り返しはパスワードとして使えません。");
    expect(say("ja", "my-hanako.sato-password", "hanako.sato@example.test")).toBe(
      "パスワードにメールアドレスを含めないでください。",
    );
    expect(say("en", "aaaaaaaaaaaaaa")).toBe("A single repeated character is not a password.");
  });

  it("travels through a zod issue and a DomainError with its values", () => {
    const parsed = NewPasswordSchema.safeParse({ password: "short", confirmPassword: "short" });
    expect(parsed.success).toBe(false);
    const message = parsed.error!.issues[0]!.message;
    expect(translateMessage("ja", message)).toBe("パスワードは12文字以上にしてください。");

    const weak = customerPasswordProblem("short", "someone@example.test")!;
    const error = new DomainError("PASSWORD_POLICY", weak, 400);
    expect(translateDomainError("ja", error)).toBe("パスワードは12文字以上にしてください。");
    expect(translateDomainError("en", error)).toBe("Use at least 12 characters.");
    expect(translateMessage("ja", customerPasswordProblem(undefined as unknown as string)!)).toBe(
      "新しいパスワードを入力してください。",
    );
  });

  it("a message with values: only a key followed by a JSON object is read as one", () => {
    expect(messageWithValues("auth:passwordPolicy.tooShort", {})).toBe("auth:passwordPolicy.tooShort");
    expect(readMessageKey('auth:passwordPolicy.tooShort|{"min":12}')).toEqual({
      key: "auth:passwordPolicy.tooShort",
      values: { min: 12 },
    });
    expect(readMessageKey("auth:passwordPolicy.tooShort|{min}")).toBeNull();
    expect(readMessageKey('auth:x|["a"]')).toBeNull();
    expect(readMessageKey("Use at least 12 characters.")).toBeNull();
    expect(translateMessage("ja", "auth:passwordPolicy.tooShort|{nope")).toBe("auth:passwordPolicy.tooShort|{nope");
    // The caller's values win over the message's own.
    expect(translateMessage("en", 'auth:passwordPolicy.tooShort|{"min":12}', { min: 20 })).toBe(
      "Use at least 20 characters.",
    );
  });
});

import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { useTranslation } from "react-i18next";
import { FieldErrors } from "~/auth/ui/auth-panel";

/** A six-digit authenticator code: numeric keyboard, one-time-code autofill, no spell checking. */
export function CodeField({ field, label }: { field: FieldMetadata<string>; label?: string }) {
  const { t } = useTranslation("auth");
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {label ?? t("code.label")}
      </label>
      <input
        {...getInputProps(field, { type: "text" })}
        className="input mt-1 text-center font-mono text-lg tracking-[0.5em]"
        inputMode="numeric"
        autoComplete="one-time-code"
        // No pattern or maxLength: full-width digits (１２３４５６) typed through an IME are accepted and normalised.
        maxLength={12}
        placeholder="123456"
        spellCheck={false}
        autoFocus
      />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

import { getInputProps, type FieldMetadata } from "@conform-to/react";
import { FieldErrors } from "~/auth/ui/auth-panel";

/** A six-digit authenticator code: numeric keyboard, one-time-code autofill, no spell checking. */
export function CodeField({ field, label = "Authenticator code" }: { field: FieldMetadata<string>; label?: string }) {
  return (
    <div>
      <label className="label" htmlFor={field.id}>
        {label}
      </label>
      <input
        {...getInputProps(field, { type: "text" })}
        className="input mt-1 text-center font-mono text-lg tracking-[0.5em]"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        placeholder="123456"
        spellCheck={false}
        autoFocus
      />
      <FieldErrors id={field.errorId} errors={field.errors} />
    </div>
  );
}

// A date-time field that shows and reads Japan time in the Japanese format (2026/12/04 15:30) whatever the browser's
// locale: a datetime-local input would show the browser's own format (12/04/2026, 03:30 PM in a US browser) under a
// label that says JST. The server reads the text with app/lib/jst-date-time.ts (full-width digits accepted).
import type { InputHTMLAttributes } from "react";
import { displayJstInput } from "~/lib/jst-date-time";

export const JST_INPUT_PLACEHOLDER = "2026/12/04 15:30";

export function JstDateTimeInput({
  defaultValue,
  className,
  ...rest
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "defaultValue"> & { defaultValue?: string | null }) {
  return (
    <input
      {...rest}
      type="text"
      defaultValue={displayJstInput(defaultValue)}
      placeholder={JST_INPUT_PLACEHOLDER}
      autoComplete="off"
      spellCheck={false}
      size={18}
      className={className ?? "input mt-1"}
      data-jst-input=""
    />
  );
}

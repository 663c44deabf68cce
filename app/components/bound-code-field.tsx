// The authenticator code typed on a large action's confirming form, bound to that one dry run (ADR 017): a bulk
// reversal and a cohort's forced resets ask for it the same way, so both forms use this field.
export function BoundCodeField({ label, help, testId }: { label: string; help: string; testId: string }) {
  return (
    <label className="block text-sm">
      <span className="label">{label}</span>
      <input
        name="confirmationCode"
        className="input mt-1 w-32 font-mono"
        inputMode="numeric"
        autoComplete="one-time-code"
        // Six digits, typed with a Japanese keyboard (full-width) or with a space in the middle: the server normalises.
        pattern="[0-9０-９ ]{6,8}"
        required
        data-testid={testId}
      />
      <span className="mt-1 block text-xs text-slate-600">{help}</span>
    </label>
  );
}

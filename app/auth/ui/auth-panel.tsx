// The frame of the sign-in pages: product name, a title, a short explanation, the form.
import { useTranslation } from "react-i18next";
import { useMessages } from "~/i18n/use-messages";

export function AuthPanel({
  title,
  description,
  children,
}: {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
}) {
  const { t } = useTranslation("auth");
  return (
    <div className="mx-auto w-full max-w-md space-y-6">
      <div className="text-center">
        <p className="text-sm font-semibold uppercase tracking-widest text-slate-700">{t("panel.product")}</p>
        <h1 className="mt-2 text-2xl font-bold tracking-tight">{title}</h1>
        {description ? <div className="mt-2 text-sm text-slate-600">{description}</div> : null}
      </div>
      <div className="card">{children}</div>
    </div>
  );
}

/** Errors about the whole form (wrong credentials, throttled, blocked), announced to screen readers. */
export function FormErrors({ id, errors: raw }: { id?: string; errors?: string[] }) {
  const errors = useMessages(raw);
  if (!errors || errors.length === 0) return null;
  return (
    <div
      id={id}
      role="alert"
      data-testid="form-error"
      className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
    >
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}

export function FieldErrors({ id, errors: raw }: { id: string; errors?: string[] }) {
  const errors = useMessages(raw);
  if (!errors || errors.length === 0) return null;
  return (
    <div id={id} className="field-error">
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}

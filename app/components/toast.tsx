import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

export interface ToastProps {
  toast: { kind: "success" | "error" | "info"; message: string };
}

const STYLES = {
  success: "bg-emerald-50 text-emerald-900 ring-emerald-200",
  error: "bg-red-50 text-red-900 ring-red-200",
  info: "bg-sky-50 text-sky-900 ring-sky-200",
} as const;

export function ToastMessage({ toast }: ToastProps) {
  const { t } = useTranslation();
  const [visible, setVisible] = useState(true);
  useEffect(() => setVisible(true), [toast]);
  if (!visible) return null;
  return (
    <div
      role={toast.kind === "error" ? "alert" : "status"}
      data-testid="toast"
      className={`mb-4 flex items-start justify-between gap-4 rounded-md px-4 py-3 text-sm ring-1 ${STYLES[toast.kind]}`}
    >
      <span>{toast.message}</span>
      <button type="button" className="text-xs underline" onClick={() => setVisible(false)}>
        {t("toastDismiss")}
      </button>
    </div>
  );
}

// An audit action as staff read it (ADR 107): its name in the page's language, with the code beneath it in small
// monospace, since the code is what filters, exports and compliance's own tools use. A code the catalogue does not
// know (an older release's row) is shown as the code alone.
import { useTranslation } from "react-i18next";
import { auditActionName } from "~/audit/action-names";
import { isLanguage } from "~/i18n/config";

export function ActionName({ code, inline = false }: { code: string; inline?: boolean }) {
  const { i18n } = useTranslation();
  const name = auditActionName(code, isLanguage(i18n.language) ? i18n.language : undefined);
  if (name === null) return <code className="break-all font-mono text-xs">{code}</code>;
  return (
    <span data-action-code={code}>
      <span className="font-sans text-sm">{name}</span>{" "}
      <code className={`${inline ? "" : "block "}break-all font-mono text-xs text-slate-500`}>{code}</code>
    </span>
  );
}

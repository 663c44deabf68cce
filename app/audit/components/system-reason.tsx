// A reason as staff read it (ADR 111). A sentence the console itself wrote is shown in the page's language, with the
// stored text beneath it in small print (<samp>: the system's own output, as written), since the row keeps what was
// written and compliance quotes it. A before/after code is shown by name with the stored code beside it in small
// monospace, as ADR 107 shows action codes. Anything else — a member's own words — is shown exactly as stored.
import { useTranslation } from "react-i18next";
import { namedAuditValue, reasonColumnCodeName, systemReasonLabel } from "~/audit/system-reasons";
import { RevealedText } from "~/components/revealed-text";
import { isLanguage, type Language } from "~/i18n/config";

function usePageLanguage(): Language | undefined {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : undefined;
}

/** A stored code by its name, the code beside it in small monospace. */
function NamedCode({ name, code }: { name: string; code: string }) {
  return (
    <span data-stored={code} data-testid="system-reason">
      <span className="font-sans">{name}</span> <code className="text-slate-500">{code}</code>
    </span>
  );
}

/** A row's reason column; with the row's action, a reversal reason's code is named too (ADR 113). */
export function SystemReason({ text, action }: { text: string; action?: string }) {
  const language = usePageLanguage();
  const code = action === undefined ? null : reasonColumnCodeName(text, action, language);
  if (code !== null) return <NamedCode name={code} code={text} />;
  const label = systemReasonLabel(text, language);
  // A member's own words, or an English reader's sentence that is the stored text itself: shown once, as stored.
  if (label === null || label === text) return <RevealedText text={text} />;
  return <StoredSentence label={label} text={text} />;
}

/** A sentence the console wrote, in the reader's language, the stored English beneath it. */
function StoredSentence({ label, text }: { label: string; text: string }) {
  return (
    <span data-stored={text} data-testid="system-reason">
      <span className="font-sans">{label}</span>
      <samp lang="en" className="block break-all font-sans text-xs text-slate-500">
        <RevealedText text={text} />
      </samp>
    </span>
  );
}

/** A before/after value: its name and the stored code when it is a system code in a named field, else as stored. */
export function AuditValue({ path, text }: { path: string; text: string }) {
  const name = namedAuditValue(path, text, usePageLanguage());
  if (name === null || name === text) return <RevealedText text={text} />;
  // A stored sentence (a reversal's destination) is kept beneath its translation, as the reason column keeps one.
  if (/\s/.test(text)) return <StoredSentence label={name} text={text} />;
  return <NamedCode name={name} code={text} />;
}

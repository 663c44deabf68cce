// The names of the audit trail's actions in the reader's language (ADR 107). The catalogue is `audit:actions` in the
// locale files; its English keys are the action codes, so the type of a code every writer records is read from it and
// a writer cannot record a code the catalogue does not name (typecheck, and tests/unit/audit-action-names.test.ts).
// The code stays the record and stays on screen beside its name: filters, exports and regulators' tools read codes.
import { DEFAULT_LANGUAGE, type Language } from "~/i18n/config";
import enAudit from "~/i18n/locales/en/audit";
import jaAudit from "~/i18n/locales/ja/audit";

export type AuditAction = keyof typeof enAudit.actions;

const NAMES: Record<Language, Record<AuditAction, string>> = { en: enAudit.actions, ja: jaAudit.actions };

/** Every action code the console records, in code order. */
export const AUDIT_ACTIONS = (Object.keys(enAudit.actions) as AuditAction[]).sort();

export function isAuditAction(code: string): code is AuditAction {
  return Object.hasOwn(enAudit.actions, code);
}

/**
 * The action's name in `language` (Japanese when none is given), or null for a code the catalogue does not know: a
 * row written by an older release, or a prefix such as `ledger.*`. A reader is then shown the code alone.
 */
export function auditActionName(code: string, language: Language | undefined): string | null {
  return isAuditAction(code) ? NAMES[language ?? DEFAULT_LANGUAGE][code] : null;
}

/** The name followed by the code in parentheses, or the code alone: for text that cannot carry markup. */
export function auditActionText(code: string, language: Language | undefined): string {
  const name = auditActionName(code, language);
  return name === null ? code : `${name} (${code})`;
}

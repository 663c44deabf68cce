// The reasons the console itself writes into the audit trail, named in the reader's language at display time (ADR 111).
// A row is append-only and keeps what was written (the exports carry it byte for byte); a page shows the name and keeps
// the stored text beside it. Two kinds: codes written as a before/after value (`{ reason: "wrong-password" }`,
// `{ missingPermission: "accounts:freeze" }`), and fixed English sentences written into the row's reason column, some
// with a number or an id filled in. Anything else — every reason a member typed — is shown as stored, never translated.
// The catalogue is `audit:reasonCodes` and `audit:systemReasons` in the locale files, read straight from the modules
// (server and browser alike), as ADR 107 reads the action names.
import { DEFAULT_LANGUAGE, type Language } from "~/i18n/config";
import enAudit from "~/i18n/locales/en/audit";
import enCommon from "~/i18n/locales/en/common";
import jaAudit from "~/i18n/locales/ja/audit";
import jaCommon from "~/i18n/locales/ja/common";
import enNotify from "~/i18n/locales/en/notify";
import enReversals from "~/i18n/locales/en/reversals";
import jaNotify from "~/i18n/locales/ja/notify";
import jaReversals from "~/i18n/locales/ja/reversals";

export type ReasonCode = keyof typeof enAudit.reasonCodes;
export type SystemReasonKey = keyof typeof enAudit.systemReasons;

const AUDIT = { en: enAudit, ja: jaAudit } as const;
const COMMON = { en: enCommon, ja: jaCommon } as const;
// Codes other catalogues already name (ADR 113): a reversal's reason and a notice's skip reason, as stored.
const REVERSALS = { en: enReversals, ja: jaReversals } as const;
const NOTIFY = { en: enNotify, ja: jaNotify } as const;

/** The before/after fields whose value is a system code named here. Other fields are data, shown as stored. */
export const NAMED_VALUE_FIELDS = [
  "reason",
  "missingPermission",
  "stepUp",
  "reasonCode",
  "skipReason",
  "destination",
] as const;
/** The fields among them that hold a code rather than a sentence: what a member's security events list. */
const CODE_FIELDS: ReadonlySet<string> = new Set(["reason", "missingPermission", "stepUp", "reasonCode", "skipReason"]);

/**
 * The actions whose reason column holds a reversal reason's code (`FRAUDULENT`), chosen from the reasons table. Any
 * other action's reason is a sentence: a member's comment that happens to read `OTHER` is theirs, not a code.
 */
export const REVERSAL_REASON_ACTIONS: ReadonlySet<string> = new Set(["ledger.reverse", "ledger.bulk-reverse.start"]);

const NUMBER = "(\\d+)";
const ANY = "(.+?)";

interface SentencePattern {
  pattern: RegExp;
  values: string[];
}

/** An English template as an anchored pattern, its `{{placeholders}}` as groups named in order by `values`. */
function patternOf(english: string): SentencePattern {
  const values: string[] = [];
  const source = english
    .split(/(\{\{\w+\}\})/)
    .map((part) => {
      const name = /^\{\{(\w+)\}\}$/.exec(part)?.[1];
      if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      values.push(name);
      return ["count", "from", "to", "version"].includes(name) ? NUMBER : ANY;
    })
    .join("");
  return { pattern: new RegExp(`^${source}$`, "s"), values };
}

function valuesOf({ pattern, values }: SentencePattern, stored: string): Record<string, string> | null {
  const match = pattern.exec(stored);
  return match ? Object.fromEntries(values.map((name, i) => [name, match[i + 1]!])) : null;
}

/**
 * Each fixed sentence as it is written, its filled-in parts as groups named in order by `values`. Every pattern is
 * anchored: a reason that merely contains one of these sentences is someone's own text.
 */
export const SYSTEM_REASON_PATTERNS: Record<SystemReasonKey, SentencePattern> = Object.fromEntries(
  (Object.entries(enAudit.systemReasons) as [SystemReasonKey, string][]).map(([key, english]) => [
    key,
    patternOf(english),
  ]),
) as Record<SystemReasonKey, SentencePattern>;

// Where a reversal request's money goes, as its audit row stores it: the reversal pages' English sentence
// (app/ledger/reversal-destination.ts writes the same words), a store's name or a funding source's label filled in.
const DESTINATION_KINDS = ["purchase", "bank", "cash", "card"] as const;
const DESTINATION_PATTERNS = DESTINATION_KINDS.map((kind) => ({
  kind,
  ...patternOf(enReversals.destination[kind]),
}));

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
}

export function isReasonCode(value: string): value is ReasonCode {
  return Object.hasOwn(enAudit.reasonCodes, value);
}

/** Which fixed sentence `stored` is, with its filled-in values; null for any other text (a member's own words). */
export function matchSystemReason(stored: string): { key: SystemReasonKey; values: Record<string, string> } | null {
  for (const [key, pattern] of Object.entries(SYSTEM_REASON_PATTERNS) as [SystemReasonKey, SentencePattern][]) {
    const values = valuesOf(pattern, stored);
    if (values) return { key, values };
  }
  return null;
}

/**
 * A row's reason column in `language`: the system's sentence in that language when `stored` is one, else null (the
 * page shows the stored text alone). The filled-in parts (a count, a cohort's name, a policy's id) are kept as stored.
 */
export function systemReasonLabel(stored: string, language: Language | undefined): string | null {
  const found = matchSystemReason(stored);
  if (!found) return null;
  return fill(AUDIT[language ?? DEFAULT_LANGUAGE].systemReasons[found.key], found.values);
}

/** The reason column as text without markup: the system's sentence in `language`, or the stored text. */
export function systemReasonText(stored: string, language: Language | undefined): string {
  return systemReasonLabel(stored, language) ?? stored;
}

function permissionName(code: string, language: Language): string | null {
  const [group, name] = code.split(":");
  if (!group || !name) return null;
  const names = COMMON[language].permission as Record<string, Record<string, string> | undefined>;
  const groupNames = Object.hasOwn(names, group) ? names[group] : undefined;
  return groupNames && Object.hasOwn(groupNames, name) ? groupNames[name]! : null;
}

function catalogued<T extends object>(names: T, code: string): string | null {
  return Object.hasOwn(names, code) ? (names[code as keyof T] as string) : null;
}

/**
 * A reversal's destination sentence as stored, in `language`: the money, the store and the funding source kept as
 * stored, the English stand-ins for a missing one ("the store") named; null for any other text.
 */
export function destinationSentenceName(stored: string, language: Language | undefined): string | null {
  const lang = language ?? DEFAULT_LANGUAGE;
  for (const { kind, ...pattern } of DESTINATION_PATTERNS) {
    const values = valuesOf(pattern, stored);
    if (!values) continue;
    if (values.store === enReversals.destination.theStore) values.store = REVERSALS[lang].destination.theStore;
    if (values.source === enReversals.destination.theSource) values.source = REVERSALS[lang].destination.theSource;
    return fill(REVERSALS[lang].destination[kind], values);
  }
  return null;
}

/** A reversal reason's code (`FRAUDULENT`) named in `language`, or null for a code this release does not know. */
export function reversalReasonName(code: string, language: Language | undefined): string | null {
  return catalogued(REVERSALS[language ?? DEFAULT_LANGUAGE].reasonLabel, code);
}

/**
 * A row's reason column when it is a code rather than a sentence: a reversal reason's name for the actions that
 * write one, else null (the column is then a sentence, named by `systemReasonLabel` or shown as stored).
 */
export function reasonColumnCodeName(stored: string, action: string, language: Language | undefined): string | null {
  return REVERSAL_REASON_ACTIONS.has(action) ? reversalReasonName(stored, language) : null;
}

/** The reason column as text without markup, for any action: a code's name with the code, a sentence, or as stored. */
export function reasonColumnText(stored: string, action: string, language: Language | undefined): string {
  const code = reasonColumnCodeName(stored, action, language);
  return code === null ? systemReasonText(stored, language) : `${code} (${stored})`;
}

/** An actor's role as the trail records it (a staff role, SYSTEM, SERVICE) by its name, the audit filter's word. */
export function auditRoleName(role: string, language: Language | undefined): string {
  return catalogued(AUDIT[language ?? DEFAULT_LANGUAGE].filter.roles, role) ?? role;
}

/** A reversal reason's code as text without markup: its name with the code in brackets, or the code if unknown. */
export function reversalReasonText(code: string, language: Language | undefined): string {
  const name = reversalReasonName(code, language);
  return name === null ? code : `${name} (${code})`;
}

/**
 * The name of a before/after value the system writes, for the field it sits in (`reason`, `details.reason`,
 * `missingPermission`), or null: any other field, or a value not catalogued, is shown as stored.
 */
export function namedAuditValue(path: string, value: unknown, language: Language | undefined): string | null {
  if (typeof value !== "string") return null;
  const field = path.split(".").at(-1);
  const lang = language ?? DEFAULT_LANGUAGE;
  if (field === "reason") return isReasonCode(value) ? AUDIT[lang].reasonCodes[value] : null;
  if (field === "missingPermission") {
    const permission = permissionName(value, lang);
    return permission === null ? null : fill(AUDIT[lang].missingPermission, { permission });
  }
  if (field === "stepUp") return catalogued(AUDIT[lang].stepUpStates, value);
  if (field === "reasonCode") return reversalReasonName(value, lang);
  if (field === "skipReason") return catalogued(NOTIFY[lang].skipReason, value);
  if (field === "destination") return destinationSentenceName(value, lang);
  return null;
}

/** Where a row's before/after holds a system code: the field's path and the stored code. */
export interface NamedAuditValue {
  path: string;
  value: string;
}

/**
 * The system codes in a row's before/after value, one level of nesting deep (`details.reason`): what a list that
 * cannot show the whole diff (a member's security events) shows beside the reason column.
 */
export function namedAuditValues(value: unknown): NamedAuditValue[] {
  const found: NamedAuditValue[] = [];
  const visit = (node: unknown, prefix: string, depth: number) => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return;
    for (const [key, child] of Object.entries(node)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (
        typeof child === "string" &&
        CODE_FIELDS.has(key) &&
        namedAuditValue(path, child, DEFAULT_LANGUAGE) !== null
      ) {
        found.push({ path, value: child });
      } else if (depth < 1) visit(child, path, depth + 1);
    }
  };
  visit(value, "", 0);
  return found;
}

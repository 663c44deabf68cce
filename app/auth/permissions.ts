// Every permission in the product, as typed string literals, and which role holds which. Deny by default: a role has
// exactly what is listed here and nothing else. Checked on the server in every loader and action (requirePermission)
// and again inside the audited spine (performAction).

export const ROLES = ["AGENT", "SECURITY_LEAD", "COMPLIANCE", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "console:view", // the home page and incident figures
  "accounts:search",
  "accounts:view",
  "accounts:freeze",
  "accounts:annotate",
  "cases:manage",
  "cohorts:build",
  "ledger:reverse",
  "ledger:reverse-large", // above the approval threshold, or approving one
  "recovery:force-reset",
  "recovery:restore-contact",
  "notify:send",
  "bulk:run", // cohort-wide reversals, resets and notices
  "killswitch:view",
  "killswitch:change",
  "killswitch:approve",
  "approvals:decide",
  "audit:view",
  "audit:export",
  "audit:verify",
  "staff:manage",
  "service-tokens:manage",
  "incidents:view",
  "breach-report:manage", // draft, version and export the regulator's breach report
  "mail:view-sink", // development-only sent-mail viewer
  "alerts:view", // early-warning alerts and detectors
  "alerts:manage", // acknowledge an alert, link it to an incident
  "policies:manage", // propose, approve (a second lead) and disable containment policies
  "risk:view", // risk rules, their backtests and decisions
  "risk:draft", // draft and backtest a rule
  "risk:publish", // publish a rule another lead drafted (four eyes), or disable one
  "risk:review", // approve or decline a held top-up
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT: readonly Permission[] = [
  "console:view",
  "accounts:search",
  "accounts:view",
  "accounts:freeze",
  "accounts:annotate",
  "cases:manage",
  "ledger:reverse",
  "recovery:force-reset",
  "recovery:restore-contact",
  "notify:send",
  "incidents:view",
  "killswitch:view",
  "mail:view-sink",
  "alerts:view",
];

export const ROLE_PERMISSIONS: Record<Role, ReadonlySet<Permission>> = {
  AGENT: new Set(AGENT),
  SECURITY_LEAD: new Set<Permission>([
    ...AGENT,
    "cohorts:build",
    "ledger:reverse-large",
    "bulk:run",
    "killswitch:change",
    "killswitch:approve",
    "approvals:decide",
    "audit:view",
    "audit:verify",
    "breach-report:manage",
    "alerts:manage",
    "policies:manage",
    "risk:view",
    "risk:draft",
    "risk:publish",
    "risk:review",
  ]),
  // Read-only everywhere, plus the audit trail and its exports. No mutation of customer state or money.
  COMPLIANCE: new Set<Permission>([
    "console:view",
    "accounts:search",
    "accounts:view",
    "incidents:view",
    "killswitch:view",
    "audit:view",
    "audit:export",
    "audit:verify",
    "breach-report:manage", // the regulator's report is compliance's to write; it changes no customer state
    "alerts:view",
    "risk:view",
  ]),
  // Staff management only: no money, no switches, no customer data.
  ADMIN: new Set<Permission>(["console:view", "staff:manage", "service-tokens:manage"]),
};

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.has(permission) ?? false;
}

// The powers that make a role privileged: stopping or releasing payment flows, approving what another member asked
// for, acting on many accounts at once, reading or exporting the audit trail, and managing staff. Granting a role
// that holds one of them waits for a second admin (docs/decisions/066-four-eyes-on-privileged-staff-access.md).
export const PRIVILEGED_POWERS: readonly Permission[] = [
  "killswitch:change",
  "killswitch:approve",
  "approvals:decide",
  "bulk:run",
  "audit:view",
  "audit:export",
  "audit:verify",
  "staff:manage",
];

export function isPrivilegedRole(role: Role): boolean {
  return PRIVILEGED_POWERS.some((power) => roleHasPermission(role, power));
}

/**
 * Whether changing a member from `from` to `to` gives them a privileged power they do not hold yet: a raise. Roles are
 * not a ladder (a lead gains audit exports by becoming compliance, an admin gains the switches by becoming a lead),
 * so this compares powers, not ranks; moving to AGENT never is one.
 */
export function grantsPrivilege(from: Role, to: Role): boolean {
  return PRIVILEGED_POWERS.some((power) => roleHasPermission(to, power) && !roleHasPermission(from, power));
}

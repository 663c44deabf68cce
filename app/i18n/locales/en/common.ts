// English strings shared by every page: the shell, the language switch, the error page, shared words.
export default {
  appName: "Firebreak",
  nav: {
    label: "Main",
    incident: "Incident",
    accounts: "Accounts",
    incidents: "Incidents",
    policies: "Policies",
    alerts: "Alerts",
    cohorts: "Cohorts",
    killSwitches: "Kill switches",
    approvals: "Approvals",
    jobs: "Bulk jobs",
    notifications: "Notifications",
    audit: "Audit trail",
    staff: "Staff",
    serviceTokens: "Service tokens",
    riskRules: "Risk rules",
    riskReviews: "Held top-ups",
  },
  role: {
    AGENT: "Agent",
    SECURITY_LEAD: "Security lead",
    COMPLIANCE: "Compliance",
    ADMIN: "Administrator",
  },
  directionControl:
    "An invisible text-direction control ({{codePoint}}), shown here as a mark because it reorders the text around it.",
  signOut: "Sign out",
  language: {
    switchTo: "Switch the console to {{language}}",
    name: { ja: "日本語", en: "English" },
    changed: "The console now speaks English.",
  },
  banner: {
    engaged: "Kill switch engaged: {{labels}}.",
    seeBoard: "See the switch board",
  },
  errorPage: {
    title: "Something went wrong",
    detail: "The console hit an unexpected error. Nothing was changed by the failed step.",
    notAllowed: "Not allowed",
    notFound: "Not found",
    status: "Error {{status}}",
    noSuchPage: "There is no such page or record.",
    requestId: "Request ID:",
    unavailable: "unavailable",
    back: "Back to the console",
    busy: "The console is too busy to answer right now. Nothing was changed. Try again in a few seconds.",
    databaseNotAnswering:
      "The database is not answering: it took too long, or something is holding what this page needs. Nothing was changed. Try again in a minute; if it persists, tell the on-call engineer.",
    databaseAway:
      "The console cannot reach its database at the moment. Nothing was changed. Try again in a few seconds; if it persists, the on-call engineer is alerted by the readiness probe.",
  },
  uncertainMail: {
    title_one: "{{count}} email needs review",
    title_other: "{{count}} emails need review",
    explanation:
      "The mail worker stopped while handing these to the mail server, so they may have arrived. They are never resent on their own.",
    whatToDo:
      "For each one, look up its Message-ID in the mail server's log: if the server has it, leave it; if not, resend it from the incident's notification page.",
    incident: "{{code}} — {{count}} to review (oldest {{since}})",
    noIncident: "Not tied to an incident — {{count}} to review (oldest {{since}})",
    secrets: {
      title: "Carrying a link or a code: {{count}}",
      whatToDo:
        "These carried a password-reset link, a recovery code or a staff member's one-time link. They are never resent and their content has been removed. Resend nothing: if the person says theirs did not arrive, issue a new one (a new link voids the old one): for a customer from the account's recovery page, for a staff member by an admin from the member's page.",
      reset: "{{account}} — password-reset link (since {{since}})",
      code: "{{account}} — recovery code (since {{since}})",
      staffLink: "{{name}} — one-time sign-in link (since {{since}})",
      more: "and {{count}} more",
    },
  },
  crossSiteRefused: "Refused: this download was started from another site. Open it from the Firebreak console itself.",
  forbidden: 'Your role ({{role}}) does not allow this: it needs the "{{permission}}" permission.',
  empty: "—",
  dismiss: "Dismiss",
  listSeparator: ", ",
};

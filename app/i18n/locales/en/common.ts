// English strings shared by every page: the shell, the language switch, the error page, shared words.
export default {
  appName: "Firebreak",
  nav: {
    label: "Main",
    incident: "Incident",
    accounts: "Accounts",
    cases: "Cases",
    cohorts: "Cohorts",
    killSwitches: "Kill switches",
    approvals: "Approvals",
    jobs: "Bulk jobs",
    notifications: "Notifications",
    audit: "Audit trail",
    staff: "Staff",
    serviceTokens: "Service tokens",
  },
  role: {
    AGENT: "Agent",
    SECURITY_LEAD: "Security lead",
    COMPLIANCE: "Compliance",
    ADMIN: "Administrator",
  },
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
  },
  forbidden: 'Your role ({{role}}) does not allow this: it needs the "{{permission}}" permission.',
  empty: "—",
  listSeparator: ", ",
};

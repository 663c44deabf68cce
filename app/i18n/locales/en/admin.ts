// English strings for the admin pages (the reference: keys are typed from this file).
export default {
  staff: {
    pageTitle: "Staff",
    title: "Staff",
    intro: "Everyone who can sign in to the console. Every change here is recorded in the audit trail.",
    name: "Name",
    role: "Role",
    status: "Status",
    sessions: "Sessions",
    lastSignIn: "Last sign-in",
    you: "(you)",
  },
  status: {
    active: "Active",
    invited: "Invited",
    enrolling: "No authenticator yet",
    locked: "Locked",
    disabled: "Disabled",
  },
  roleDescription: {
    AGENT: "Search and view accounts, freeze, reverse up to the threshold, force resets, notify",
    SECURITY_LEAD: "Everything an agent does, plus kill switches, approvals and bulk actions",
    COMPLIANCE: "Read-only everywhere, the audit trail and its exports",
    ADMIN: "Staff management only: no money, no switches, no customer data",
  },
  invite: {
    linkTitle: "Invitation for {{email}}",
    linkIntro:
      "Send this one-time link to them over a channel you trust. It works once, until {{until}}, and is not shown again.",
    title: "Invite a staff member",
    intro: "They get a one-time link to set a password; their first sign-in sets up an authenticator.",
    stepUpWhat: "Inviting someone",
    email: "Work email",
    name: "Name",
    role: "Role",
    chooseRole: "Choose a role…",
    submit: "Create the invitation link",
  },
};

// English messages for DomainError codes: `new DomainError("CODE", "English fallback", status, params)` is shown as
// errors:CODE with its params when the key exists here (see app/i18n/translate.server.ts).
export default {
  PERMISSION_DENIED: "You do not have permission to do this.",
  INVALID_LANGUAGE: "Choose Japanese or English.",
  FOUR_EYES_REQUIRED: "A second security lead must publish this rule: you drafted it.",
  BACKTEST_REQUIRED: "Backtest this version before publishing it.",
  RULE_NOT_DRAFT: "Only a draft can be published.",
  RULE_NOT_ACTIVE: "This rule is not live.",
  RULE_NOT_FOUND: "There is no such rule.",
  RULE_VERSION_CONFLICT: "Another version of this rule was drafted at the same moment. Try again.",
  RULE_PUBLISH_CONFLICT: "Another version of this rule was published at the same moment.",
  REVIEW_ALREADY_DECIDED: "This top-up has already been decided by someone else.",
  // The account view and its cases.
  ACCOUNT_CLOSED: "This account is closed: its status cannot be changed here.",
  INVALID_STATUS_CHANGE: "Unknown status change.",
  CASE_NOT_FOUND: "There is no such case.",
  CASE_EXISTS: "This account already has a case in that incident.",
  REASON_REQUIRED: "Say why the case is being reopened.",
  ASSIGNEE_CANNOT_MANAGE_CASES: "That staff member's role cannot work cases.",
  LEARNED_IN_FUTURE: "The date the company learned of the breach cannot be in the future.",
  REPORT_EXISTS: "This incident already has a {{kind}} report: open it and save a new version instead.",
  REPORT_CHANGED: "Someone saved version {{latest}} since you opened version {{base}}. Reload and redo your edit.",
  REPORT_NOT_FOUND: "There is no such breach report.",
  STEP_UP_REQUIRED: "Confirm it is you with a fresh authenticator code, then try again.",
  // Staff administration, sign-in set-up and the staff directory.
  STAFF_NOT_FOUND: "There is no such staff member.",
  STAFF_SELF_CHANGE: "You cannot do this to your own account; ask another admin.",
  LAST_ADMIN: "This is the last active admin: make someone else an admin first.",
  STAFF_EMAIL_TAKEN: "A staff member with this email already exists.",
  STAFF_DISABLED: "Enable this account before sending a link.",
  ROLE_UNCHANGED: "This member already has that role.",
  STAFF_CHANGED: "This member was changed meanwhile; reload.",
  STAFF_ALREADY_DISABLED: "This account is already disabled.",
  STAFF_NOT_DISABLED: "This account is not disabled.",
  STAFF_INACTIVE: "Cannot resend: the staff member is no longer active.",
  // A resend refused for its recipient's address (the same reasons a bulk send skips a customer for).
  NO_VERIFIED_EMAIL: "Cannot resend: the customer has no verified email address on file.",
  INVALID_EMAIL: "Cannot resend: the email address on file is not a valid address.",
  EMAIL_CHANGED_DURING_INCIDENT:
    "Cannot resend: the address on file was changed and no agent has reviewed it, so it may be the attacker's. Restore or confirm the customer's contact first.",
  MISSING_DATA: "Cannot resend: this account lacks data the notice needs.",
  STAFF_ONLY: "Only staff can do this.",
  ALREADY_ENROLLED: "An authenticator is already set up for this account.",
  ENROLLMENT_CODE_WRONG:
    "That code does not match. Check that your phone's clock is right and enter the code your app shows now.",
  INVITE_UNUSABLE: "This link has expired or was already used. Ask an admin for a new one.",
  // Customers, incidents, cases and cohorts.
  CUSTOMER_NOT_FOUND: "There is no such customer.",
  WALLET_NOT_FOUND: "This customer has no wallet.",
  ACCOUNT_STATUS_CHANGED: "The account's status changed meanwhile. Reload to see its current state.",
  INCIDENT_NOT_FOUND: "There is no such incident.",
  SERVICE_TOKEN_VALIDITY_INVALID: "Choose how long the token is valid: 1 to {{max}} whole days.",
  INCIDENT_RESOLVED: "That incident is resolved: file the change under an open incident, or under none.",
  INVALID_CASE_STATUS: "Unknown case status.",
  CASE_TRANSITION_NOT_ALLOWED: "A case cannot move to that status from its current one.",
  CASE_CHANGED: "The case was changed since you loaded the page. Reload and try again.",
  ASSIGNEE_NOT_FOUND: "There is no such active staff member.",
  COHORT_EMPTY: "No account matches: there is nothing to save.",
  COHORT_TOO_LARGE:
    "These filters match {{found}} accounts; a cohort holds at most {{max}}. Narrow the window or raise the minimum score.",
  SIGNAL_SEARCH_TOO_BROAD: "That search covers too much to finish quickly: narrow the window or raise the thresholds.",
  // Notices and messages.
  NO_VICTIMS: "This incident has no victims to notify.",
  NOT_INCIDENT_VICTIMS:
    "{{missing}} of the selected customers are not victims of this incident (no case): nothing was sent.",
  TEMPLATE_VARIABLES_MISSING: "This notice cannot be written for this customer: a value it needs is missing.",
  MESSAGE_NOT_FOUND: "There is no such message.",
  NOT_RETRYABLE: "Only failed or doubtful messages can be resent.",
  CONTENT_REDACTED: "This message carried a reset link that was removed once it settled: start a new reset instead.",
  SECRET_NOT_RESENT:
    "This message carried a reset link or a recovery code: send a new one from the account's recovery page instead.",
  STAFF_LINK_NOT_RESENT:
    "This message carried a staff member's one-time link: an admin sends a new link from the member's page instead.",
  RETRY_CONFLICT: "The message changed meanwhile; reload and try again.",
  RECIPIENT_NOT_ALLOWED: "Only a recovery code goes to the known-good address.",
  SMS_NOT_SENT: "The text message could not be sent. Try email, or try again.",
  SMS_NOT_CONFIGURED: "Text messages are not configured on this console: send the code by email instead.",
  // Contact changes, jobs, risk rules, kill-switch service tokens and the audit search.
  CONTACT_FIELD_INVALID: "Choose the email or the phone number to change.",
  CONTACT_UNCHANGED: "This is already the contact on file. Nothing was changed.",
  INVALID_AMOUNT: "The amount must be a whole number of yen greater than zero.",
  JOB_NOT_FOUND: "There is no such job.",
  JOB_FINISHED: "This job has already finished.",
  JOB_NOT_FAILED: "Only a failed job can be resumed.",
  BACKTEST_NOT_FINISHED: "The backtest did not finish.",
  RULE_CHANNEL_NOT_FOR_EVENT: "Only a top-up rule can be narrowed to a channel.",
  SERVICE_NAME_INVALID:
    "Name the service in lower case letters, digits and hyphens (2–63 characters), e.g. payments-gateway.",
  SERVICE_TOKEN_NOT_FOUND: "There is no such active service token.",
  AUDIT_UNKNOWN_ACTOR: 'No staff member has the email "{{email}}".',
  AUDIT_SEARCH_TOO_SLOW:
    "This search took longer than {{seconds}} s and was stopped. Narrow the time range or add an actor, action, target or incident filter.",
};

// English messages for DomainError codes: `new DomainError("CODE", "English fallback", status, params)` is shown as
// errors:CODE with its params when the key exists here (see app/i18n/translate.server.ts).
export default {
  PERMISSION_DENIED: "You do not have permission to do this.",
  SESSION_ENDED: "Your session has ended or your account was changed meanwhile. Sign in again.",
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
  GRANT_REASON_REQUIRED: "Say why, in 3 to 500 characters (it goes in the audit trail).",
  GRANT_ALREADY_PENDING: "A request for this already waits for a second admin: approve or decline it first.",
  GRANT_NOT_FOUND: "There is no such request.",
  GRANT_NOT_PENDING: "This request was already decided, or it expired.",
  GRANT_EXPIRED: "This request expired: file it again if the grant is still right.",
  GRANT_SELF_APPROVAL: "You asked for this grant: another admin must approve it.",
  GRANT_APPROVER_NOT_ADMIN: "Only an active admin can approve a grant.",
  GRANT_REQUESTER_INACTIVE: "The admin who asked for this is no longer an active admin: decline it.",
  GRANT_STALE: "This member's role or status changed since the request: decline it and file a new one.",
  REQUESTER_NO_LONGER_ENTITLED:
    "The member who asked for this was disabled or no longer holds the role to ask for it: it cannot be approved. Reject it; someone who may ask can file it again.",
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
  CONTACT_STALE: "This contact changed while you were looking at it. Reload the page and review the history again.",
  CONTACT_CHANGE_NOT_FOUND: "There is no such contact change on this account.",
  CONTACT_NEVER_VERIFIED: "The previous contact was never verified by the customer, so it cannot be restored.",
  NOTHING_TO_RESTORE: "The contact on file already is the value before that change.",
  NOT_KNOWN_GOOD: "Only the last known-good contact (the one before the first suspicious change) can be restored.",
  NOTHING_TO_KEEP: "No suspicious change is waiting on this contact: there is nothing to approve.",
  KEEP_REQUEST_PENDING: "A request to keep this contact already waits for a lead.",
  KEEP_REQUEST_NOT_FOUND: "There is no such request.",
  FOUR_EYES: "You asked for this: another security lead must decide it.",
  IDENTITY_CHECK_REQUIRED:
    "Record a passed identity check with the caller first (at least two facts matched, within the last 30 minutes).",
  IDENTITY_CHECK_LOCKED:
    "This customer failed too many identity checks in the last 24 hours. Escalate to a security lead; do not ask again.",
  IDENTITY_FACT_UNAVAILABLE:
    "There is no top-up on file from before the suspicious changes: ask for the birth date or card instead.",
  FORCED_RESET_LINK_LIMIT:
    "{{max}} reset links were already mailed to this customer in the last hour; the latest still works. No new reset before {{at}}; to cut access now, freeze the account.",
  RECOVERY_CODE_LIMIT: "Too many codes were sent to this customer in the last 24 hours. Escalate to a security lead.",
  RECOVERY_CODE_REQUIRED:
    "The caller must first read back a code sent to the customer's known-good email or phone (within 15 minutes).",
  NO_KNOWN_GOOD_CONTACT:
    "There is no contact the customer verified before the suspicious changes on this channel: use the other channel.",
  STAFF_EXPORT_RATE_LIMITED: "Too many audit exports in a short time. Try again after {{time}}.",
  STAFF_READ_RATE_LIMITED:
    "Too many customer searches and account views in a short time. Wait a few minutes, then try again.",
  WALLET_NOT_FOUND: "This customer has no wallet.",
  ACCOUNT_NOT_RECOVERED:
    "This account cannot be reopened yet: whoever held it when it was contained may still know its password. Force a password reset that reaches the customer's verified email (restore the contact first if the reset is held), then reopen it.",
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
  TEMPLATE_VARIABLES_MISSING: "This notice cannot be written for this customer: it needs {{needs}}.",
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
  EXCEEDS_REMAINING:
    "Only {{remaining}} of this {{charge}} charge is left to reverse ({{reversed}} already reversed); {{amount}} is too much.",
  ALREADY_FULLY_REVERSED: "This charge of {{amount}} is already fully reversed.",
  WALLET_WOULD_GO_NEGATIVE:
    "The wallet holds {{balance}}, so {{amount}} of this top-up cannot be sent back to the card without taking the wallet below zero.",
  ACCOUNT_NOT_SECURED:
    "This account is active and has not been secured since this charge, so a refund to its wallet could be spent again by whoever holds it. Freeze the account or force a password reset first, then reverse the purchase.",
  CHARGE_NOT_FOUND: "This customer has no such charge.",
  NOT_REVERSIBLE: "This is itself a reversal: a reversal cannot be reversed.",
  IDEMPOTENCY_KEY_REQUIRED: "This request has no idempotency key: reload the form and try again.",
  INVALID_IDEMPOTENCY_KEY: "This form is out of date: reload the page and try again.",
  IDEMPOTENCY_KEY_REUSED:
    "This form was already submitted with different values. Nothing was changed: reload the page to start a new reversal.",
  NOTE_TOO_LONG: "The note is too long.",
  NOTE_REQUIRED: "This reason needs a note explaining the reversal.",
  UNKNOWN_REASON_CODE: "Choose a reason: fraudulent, duplicate, customer request, or other (with a note).",
  REQUEST_NOT_FOUND: "There is no such request.",
  REQUEST_NOT_PENDING: "This request has already been decided or withdrawn: it can no longer be changed.",
  REASON_TOO_LONG: "The reason is too long.",
  LARGE_REVERSAL_PERMISSION_REQUIRED:
    "Approving a reversal needs the ledger:reverse-large permission (security leads).",
  SELF_APPROVAL: "You made this request, so another security lead must approve it (four-eyes).",
  SELF_DECISION: "This is your own request: withdraw it instead of rejecting it.",
  NOT_REQUESTER: "Only the person who made this request can withdraw it; reject it instead if it should not go ahead.",
  INVALID_SCOPE: "Choose an incident, a cohort or a list of customer IDs.",
  SCOPE_NOT_FOUND: "The chosen scope does not exist.",
  UNKNOWN_CUSTOMERS: "Some of the listed customer IDs do not exist: check the list.",
  INVALID_WINDOW: "Give the window of charges as two valid dates, the start before the end.",
  PLAN_CHANGED:
    "The charges in scope changed since your dry run (new charges, some reversed meanwhile, or an account frozen, unfrozen or reset). Nothing was started: review the new dry run and confirm again.",
  NOTHING_TO_REVERSE: "There is nothing left to reverse in this scope and window.",
  INVALID_BULK_REVERSAL:
    "The dry run this confirmation names could not be read. Nothing was frozen: run the dry run again.",
  NOTHING_TO_FREEZE: "Every account in this dry run is already secured: there is nothing to freeze.",
  BULK_FREEZE_CHANGED:
    "The unsecured accounts changed since your dry run (some were secured, or new purchases came in). Nothing was frozen: review the new list and confirm again.",
  NOTHING_REVERSIBLE_UNTIL_SECURED:
    "Every charge left is a purchase of an account nobody has secured yet. Nothing was started: freeze those accounts or force a password reset, then run the dry run again.",
  CONFIRMATION_CODE_REQUIRED:
    "An action this large needs a fresh authenticator code typed on this confirmation form. Nothing was started.",
  CONFIRMATION_CODE_INVALID: "That code was not accepted: enter the current 6-digit code from your authenticator app.",
  CONFIRMATION_CODE_BLOCKED:
    "Too many wrong codes. The second step is blocked until {{until}}; ask an admin to unlock it sooner.",
  JOB_NOT_FOUND: "There is no such job.",
  JOB_FINISHED: "This job has already finished.",
  JOB_NOT_FAILED: "Only a failed job can be resumed.",
  BACKTEST_NOT_FINISHED: "The backtest did not finish.",
  RULE_CHANNEL_NOT_FOR_EVENT: "Only a top-up rule can be narrowed to a channel.",
  SERVICE_NAME_INVALID:
    "Name the service in lower case letters, digits and hyphens (2–63 characters), e.g. payments-gateway.",
  SERVICE_TOKEN_NOT_FOUND: "There is no such active service token.",
  KILL_SWITCH_ALREADY_ENGAGED: "This switch is already engaged (since {{since}}). Nothing was changed.",
  KILL_SWITCH_NOT_ENGAGED: "This switch is not engaged: there is nothing to release.",
  KILL_SWITCH_NOT_FOUND: "There is no such kill switch.",
  NO_AUTOMATIC_RELEASE: "This switch has no automatic release to cancel. Nothing was changed.",
  AUTO_RELEASE_NOT_DUE: "This switch is no longer due for automatic release (it changed since it was found).",
  RELEASE_TIME_INVALID: "The automatic release time is not a valid date and time.",
  RELEASE_TIME_TOO_SOON: "The automatic release must be at least 5 minutes from now.",
  RELEASE_TIME_TOO_LATE:
    "The automatic release can be at most 7 days ahead; leave it empty to keep the switch engaged until released.",
  REASON_INVALID: "The reason contains a character that cannot be stored: type it again.",
  RELEASE_REQUEST_NOT_FOUND: "There is no such release request.",
  RELEASE_REQUEST_STALE:
    "The switch changed after this request was made. Make a new request if a release is still right.",
  RELEASE_REQUEST_NOT_PENDING: "This release request has already been decided or withdrawn.",
  RELEASE_ALREADY_REQUESTED:
    "A release of this switch already waits for approval. Approve, reject or withdraw it first.",
  REQUESTER_CANNOT_REJECT: "You made this request: withdraw it instead of rejecting it.",
  RELEASE_NEEDS_APPROVAL:
    "A kill switch is released only when a second security lead approves a release request (four-eyes).",
  AUDIT_UNKNOWN_ACTOR: 'No staff member has the email "{{email}}".',
  AUDIT_SEARCH_TOO_SLOW:
    "This search took longer than {{seconds}} s and was stopped. Narrow the time range or add an actor, action, target or incident filter.",
  BACKTESTS_BUSY: "{{max}} backtests are already waiting or running. Try again when one has finished, or cancel one.",
  LIVE_STREAMS_TOO_MANY: "You already have {{max}} live updates open. Close some console tabs and reload.",
  WALLET_BUSY: "We are very busy right now. No money was moved and nothing was changed. Please try again in a moment.",
  WALLET_UNAVAILABLE:
    "We cannot complete this right now. No money was moved and nothing was changed. Please try again in a moment.",
};

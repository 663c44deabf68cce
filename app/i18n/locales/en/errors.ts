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
};

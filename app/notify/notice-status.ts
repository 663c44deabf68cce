// Delivery statuses as staff read them. Browser-safe (no server imports): the status components use it.
export const NOTICE_STATUSES = ["QUEUED", "SENDING", "SENT", "FAILED", "SKIPPED", "UNCERTAIN"] as const;
export type NoticeStatus = (typeof NOTICE_STATUSES)[number];

/** Between the keys of what a notice needs, in a MISSING_DATA skip reason ("MISSING_DATA: notify:needs.a; …"). */
export const NEEDS_SEPARATOR = "; ";

export const SKIP_REASON_LABEL: Record<string, string> = {
  NO_VERIFIED_EMAIL: "No verified email address on file",
  INVALID_EMAIL: "The email address on file is not valid",
  EMAIL_CHANGED_DURING_INCIDENT:
    "The address was changed around the incident or from a new device, and no agent has reviewed it (may be the attacker's)",
  MISSING_DATA: "The notice needs data this account does not have",
};

export const TEMPLATE_LABEL: Record<string, string> = {
  "account-secured": "Account secured",
  "charges-reversed": "Charges reversed",
  "password-reset": "Password reset link",
  "recovery-code": "Recovery code",
  "incident-update": "Incident update",
};

/** One message as the status components show it. Dates are ISO strings (loader data is JSON). */
export interface NoticeView {
  id: string;
  template: string;
  /** The incident status an update announced, for incident-update notices. */
  discriminator: string | null;
  incidentCode: string | null;
  language: string;
  recipient: string | null;
  status: NoticeStatus;
  attempts: number;
  lastError: string | null;
  skipReason: string | null;
  /** The Message-ID header, fixed when the message was queued: search the mail server's log for it. */
  messageIdHeader: string;
  /** The mail server's reply on acceptance (often carries its queue ID). */
  smtpResponse: string | null;
  sentAt: string | null;
  nextAttemptAt: string | null;
  createdAt: string;
  /** It carried a reset link or a recovery code: never resent (a new one is issued) and blanked once settled or in doubt. */
  carriesSecret: boolean;
}

/** Recipients listed per page on an incident's notification page. */
export const RECIPIENTS_PAGE_SIZE = 50;

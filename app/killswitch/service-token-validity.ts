// How long a service token may be valid: the form's bounds (shown in the browser) and the server's check share them.
export const DEFAULT_VALID_DAYS = 90;
export const MAX_VALID_DAYS = 365;

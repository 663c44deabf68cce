// English messages for DomainError codes: `new DomainError("CODE", "English fallback", status, params)` is shown as
// errors:CODE with its params when the key exists here (see app/i18n/translate.server.ts).
export default {
  PERMISSION_DENIED: "You do not have permission to do this.",
  INVALID_LANGUAGE: "Choose Japanese or English.",
};

// English form-validation messages. Zod's own messages map here through zodErrorMap; a schema's custom message is a
// key ("validation:required"), translated when the reply is built (see app/i18n/translate.server.ts).
export default {
  required: "This field is required.",
  invalidType: "Enter a valid value.",
  invalidEnum: "Choose one of the options.",
  tooShort_one: "Enter at least {{count}} character.",
  tooShort_other: "Enter at least {{count}} characters.",
  tooLong_one: "Enter at most {{count}} character.",
  tooLong_other: "Enter at most {{count}} characters.",
  tooSmall: "Enter {{minimum}} or more.",
  tooBig: "Enter {{maximum}} or less.",
  notInteger: "Enter a whole number.",
  invalidEmail: "Enter an email address.",
  invalidUuid: "This identifier is not valid.",
  invalidDate: "Enter a valid date and time.",
  controlCharacters: "Remove the control characters (such as NUL) from this value.",
  lineBreak: "Keep this on one line: remove the line breaks.",
  malformedText: "This value contains malformed characters.",
  formValueTooLong: "This value is far too long.",
  unreadableForm: "The form could not be read. Reload the page and try again.",
  fieldRefused: "The field “{{field}}” was refused: {{problem}} Nothing was changed.",
  invalid: "This value is not valid.",
};

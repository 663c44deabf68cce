// What a result list may show of a customer's contact details: enough for an agent to tell two namesakes apart with the
// caller on the line ("the one whose number ends in 5678?"), not enough to read a stranger's address off the screen.
// The account view (audited) shows them in full.

const MASK = "•";

/** "taro.tanaka@example.jp" → "ta••••••••@example.jp". */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at <= 0) return MASK.repeat(Math.min(8, email.length));
  const local = email.slice(0, at);
  const visible = local.length <= 2 ? local.slice(0, 1) : local.slice(0, 2);
  return `${visible}${MASK.repeat(Math.max(3, Math.min(10, local.length - visible.length)))}${email.slice(at)}`;
}

/** "+819012345678" → "090-••••-5678"; other countries keep their prefix and last four digits. */
export function maskPhone(e164: string): string {
  const last4 = e164.slice(-4);
  if (e164.startsWith("+81") && e164.length >= 12) {
    const national = `0${e164.slice(3)}`;
    return `${national.slice(0, 3)}-${MASK.repeat(4)}-${last4}`;
  }
  return `${e164.slice(0, 3)} ${MASK.repeat(4)} ${last4}`;
}

/** "+819012345678" → "090-1234-5678" (the form Japanese callers read out); other numbers unchanged. */
export function formatPhone(e164: string): string {
  if (e164.startsWith("+81") && e164.length === 13) {
    const national = `0${e164.slice(3)}`;
    return `${national.slice(0, 3)}-${national.slice(3, 7)}-${national.slice(7)}`;
  }
  if (e164.startsWith("+81")) return `0${e164.slice(3)}`;
  return e164;
}

/** A contact value as the console shows it: a phone number in the form callers read out, an email as it is. */
export function formatContact(field: string, value: string): string {
  return field === "PHONE" ? formatPhone(value) : value;
}

// Mail settings from the environment, in the shape the outbox needs.
import addressparser from "nodemailer/lib/addressparser";
import { env } from "~/env.server";

export function mailFrom(): string {
  return env().MAIL_FROM;
}

/** The domain our Message-IDs use: the sender's, so they are globally unique and recognisably ours. */
export function messageIdDomain(): string {
  const parsed = addressparser(mailFrom(), { flatten: true });
  const address = parsed[0]?.address ?? "";
  const domain = address.split("@")[1];
  return domain && /^[A-Za-z0-9.-]+$/.test(domain) ? domain : "firebreak.invalid";
}

export function messageIdFor(messageRowId: string): string {
  return `<${messageRowId}@${messageIdDomain()}>`;
}

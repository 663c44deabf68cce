// The frame every notice shares: greeting, body, the anti-phishing reminder and the signature, in text and in HTML.
import type { Language } from "~/notify/language";
import { BRAND, SUPPORT_PHONE } from "~/notify/templates/brand";
import { html, lines, type SafeHtml } from "~/notify/templates/html";

export interface RenderedNotice {
  subject: string;
  text: string;
  html: string;
}

export interface NoticeCustomer {
  name: string;
  displayId: string;
}

export function greetingText(language: Language, customer: NoticeCustomer): string {
  return language === "ja" ? `${customer.name} 様` : `Dear ${customer.name},`;
}

const REMINDER: Record<Language, string> = {
  ja: "当社がメール・電話・SMSでパスワードや認証コードをお尋ねすることはありません。",
  en: "We will never ask for your password or a verification code by email, phone or text message.",
};

function signatureLines(language: Language): string[] {
  const brand = BRAND[language];
  return language === "ja"
    ? [brand.team, `お問い合わせ: ${SUPPORT_PHONE}（${brand.hours}）`]
    : [brand.team, `Contact us: ${SUPPORT_PHONE} (${brand.hours})`];
}

export function frameText(language: Language, customer: NoticeCustomer, body: string): string {
  return lines(
    greetingText(language, customer),
    "",
    body,
    "",
    REMINDER[language],
    "",
    "--",
    ...signatureLines(language),
  );
}

export function frameHtml(language: Language, customer: NoticeCustomer, title: string, body: SafeHtml): string {
  const [team, contact] = signatureLines(language);
  return html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
      </head>
      <body
        style="margin:0;padding:24px;background:#f1f5f9;font-family:-apple-system,'Hiragino Sans','Meiryo',sans-serif;color:#0f172a;line-height:1.7"
      >
        <div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:24px">
          <h1 style="font-size:18px;margin:0 0 16px">${title}</h1>
          <p>${greetingText(language, customer)}</p>
          ${body}
          <p style="margin-top:24px;padding:12px;background:#fef3c7;border-radius:6px;font-size:14px">
            ${REMINDER[language]}
          </p>
          <p style="margin-top:24px;font-size:13px;color:#475569">${team}<br />${contact}</p>
        </div>
      </body>
    </html>`.value;
}

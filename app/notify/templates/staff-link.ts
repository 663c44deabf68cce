// The mail that carries a staff member's one-time link: an invitation, a new link to set a new password, or the link
// to set a password and a new authenticator after an admin reset theirs or re-enabled their account. It goes only to the member's own address on
// record, in their console language; the admin who caused it never sees the link (docs/decisions/004-staff-authentication.md).
// Its body holds a live link, so the outbox blanks it once the message is settled and never resends it.
import type { Language } from "~/notify/language";
import { formatDateTime } from "~/notify/templates/format";
import { html, lines } from "~/notify/templates/html";
import type { RenderedNotice } from "~/notify/templates/layout";

export const STAFF_LINK_TEMPLATE = "staff-link";

export type StaffLinkKind = "invite" | "reissue" | "totp-reset" | "reenable";

export interface StaffLinkMail {
  kind: StaffLinkKind;
  displayName: string;
  url: string;
  expiresAt: Date;
}

interface Copy {
  subject: string;
  greeting: string;
  intro: string;
  validity: string;
  button: string;
  fallback: string;
  notYou: string;
  signature: string;
}

function copyFor(language: Language, mail: StaffLinkMail): Copy {
  const until = formatDateTime(language, mail.expiresAt);
  if (language === "ja") {
    const intro: Record<StaffLinkKind, string> = {
      invite:
        "Firebreak セキュリティコンソールのスタッフとして招待されました。次のリンクからパスワードを設定し、続けて認証アプリを設定してください。",
      reissue:
        "管理者があなたのアカウントに新しいワンタイムリンクを発行しました。次のリンクから新しいパスワードを設定してください。設定すると、これまでのセッションはすべて終了します。",
      "totp-reset":
        "管理者があなたの認証アプリをリセットしました。これまでのパスワードとセッションも無効になっています。次のリンクから新しいパスワードを設定し、認証アプリを設定し直してください。",
      reenable:
        "管理者があなたのアカウントを再び有効にしました。以前のパスワードと認証アプリは使えません。次のリンクから新しいパスワードを設定し、認証アプリを設定し直してください。",
    };
    return {
      subject: mail.kind === "invite" ? "Firebreak コンソールへの招待" : "Firebreak コンソールのワンタイムリンク",
      greeting: `${mail.displayName} 様`,
      intro: intro[mail.kind],
      validity: `リンクは ${until} まで、1回だけ使えます。以前に送られたリンクは使えません。`,
      button: mail.kind === "invite" ? "パスワードを設定する" : "新しいパスワードを設定する",
      fallback: "ボタンが使えない場合は次のURLを開いてください:",
      notYou:
        "心当たりがない場合はリンクを開かず、セキュリティチームに連絡してください。このリンクを他の人（管理者を含む）に渡さないでください。",
      signature: "Firebreak セキュリティコンソール",
    };
  }
  const intro: Record<StaffLinkKind, string> = {
    invite:
      "You have been invited to the Firebreak security console. Use the link below to set a password; then you set up an authenticator.",
    reissue:
      "An admin issued a new one-time link for your account. Use it to set a new password; doing so ends every session you had.",
    "totp-reset":
      "An admin reset your authenticator; your old password and sessions no longer work either. Use the link below to set a new password, then set up an authenticator again.",
    reenable:
      "An admin enabled your account again. Your old password and authenticator no longer work: use the link below to set a new password, then set up an authenticator again.",
  };
  return {
    subject:
      mail.kind === "invite"
        ? "Your invitation to the Firebreak console"
        : "Your one-time link to the Firebreak console",
    greeting: `Dear ${mail.displayName},`,
    intro: intro[mail.kind],
    validity: `The link works once, until ${until}. Any link sent to you earlier no longer works.`,
    button: mail.kind === "invite" ? "Set your password" : "Set a new password",
    fallback: "If the button does not work, open this address:",
    notYou:
      "If you did not expect this, do not open the link and tell the security team. Never pass this link on to anyone, an admin included.",
    signature: "Firebreak security console",
  };
}

export function renderStaffLinkMail(language: Language, mail: StaffLinkMail): RenderedNotice {
  const c = copyFor(language, mail);
  const text = lines(c.greeting, "", c.intro, c.validity, "", mail.url, "", c.notYou, "", "--", c.signature);
  const body = html`<!doctype html>
    <html lang="${language}">
      <head>
        <meta charset="utf-8" />
        <title>${c.subject}</title>
      </head>
      <body style="font-family:-apple-system,'Hiragino Sans','Meiryo',sans-serif;color:#0f172a;line-height:1.7">
        <h1 style="font-size:18px">${c.subject}</h1>
        <p>${c.greeting}</p>
        <p>${c.intro}</p>
        <p><strong>${c.validity}</strong></p>
        <p style="margin:24px 0">
          <a
            href="${mail.url}"
            style="background:#0f172a;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none"
            >${c.button}</a
          >
        </p>
        <p style="font-size:13px;word-break:break-all">${c.fallback} ${mail.url}</p>
        <p style="font-size:13px;color:#475569">${c.notYou}</p>
        <p style="font-size:13px;color:#475569">${c.signature}</p>
      </body>
    </html>`;
  return { subject: c.subject, text, html: body.value };
}

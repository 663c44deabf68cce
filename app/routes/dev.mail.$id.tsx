// One message from the development mail sink: envelope, headers we set, the text part, and the HTML part framed from
// its own sandboxed page. 404 in production.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { formatJst } from "~/lib/format";
import { findSinkMessage } from "~/notify/dev-sink.server";
import { devMailAvailable } from "~/notify/email-html-response.server";

export const permission: Permission = "mail:view-sink";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notify:devMail.pageTitle") }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  if (!devMailAvailable()) throw new Response("Not found", { status: 404 });
  const message = findSinkMessage(params.id ?? "");
  if (!message) throw new Response("Not found", { status: 404 });
  return { message };
}

export default function DevMailMessage() {
  const { message } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link className="underline" to="/dev/mail">
          {t("devMail.back")}
        </Link>
      </p>
      <div className="card space-y-1 text-sm">
        <h1 className="text-lg font-semibold" data-testid="dev-mail-subject">
          {message.subject}
        </h1>
        <p>{t("devMail.from", { from: message.from })}</p>
        <p>{t("devMail.toEnvelope", { to: message.to, envelope: message.envelopeTo.join(", ") })}</p>
        <p>{t("devMail.receivedAt", { at: formatJst(message.receivedAt, language) })}</p>
        <p className="break-all font-mono text-xs text-slate-500">
          Message-ID {message.messageId ?? "—"} · dedupe {message.dedupeHeader ?? "—"}
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-2">
        <pre className="card max-h-[40rem] overflow-auto whitespace-pre-wrap text-sm" data-testid="dev-mail-text">
          {message.text}
        </pre>
        {message.html ? (
          <iframe
            title={t("devMail.htmlPart")}
            sandbox=""
            className="h-[40rem] w-full rounded ring-1 ring-slate-200"
            src={`/dev/mail/${message.id}/html`}
          />
        ) : (
          <p className="card text-sm text-slate-600">{t("devMail.noHtml")}</p>
        )}
      </div>
    </div>
  );
}

// The development sent-mail viewer: what the in-process SMTP sink received (no SMTP server configured). Absent from
// production builds: the route answers 404 there, and the sink never starts.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useAutomaticRefresh } from "~/components/automatic-refresh";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { formatJst } from "~/lib/format";
import { listSinkMessages } from "~/notify/dev-sink.server";
import { devMailAvailable } from "~/notify/email-html-response.server";

export const permission: Permission = "mail:view-sink";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notify:devMail.pageTitle") }];

const REFRESH_MS = 3000;

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  if (!devMailAvailable()) throw new Response("Not found", { status: 404 });
  const messages = listSinkMessages().map(({ id, receivedAt, to, subject, size, dedupeHeader }) => ({
    id,
    receivedAt,
    to,
    subject,
    size,
    dedupeHeader,
  }));
  return { messages };
}

export default function DevMail() {
  const { messages } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  useAutomaticRefresh(true, REFRESH_MS);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">{t("devMail.title")}</h1>
        <p className="text-sm text-slate-600">{t("devMail.intro")}</p>
      </div>
      <div className="card overflow-x-auto">
        {messages.length === 0 ? (
          <p className="text-sm text-slate-600">{t("devMail.empty")}</p>
        ) : (
          <table className="min-w-full text-left text-sm" data-testid="dev-mail-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">{t("devMail.received")}</th>
                <th className="py-2 pr-3">{t("devMail.to")}</th>
                <th className="py-2 pr-3">{t("devMail.subject")}</th>
                <th className="py-2">{t("devMail.size")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {messages.map((m) => (
                <tr key={m.id}>
                  <td className="whitespace-nowrap py-2 pr-3">{formatJst(m.receivedAt, language)}</td>
                  <td className="py-2 pr-3">{m.to}</td>
                  <td className="py-2 pr-3">
                    <Link className="underline" to={`/dev/mail/${m.id}`}>
                      {m.subject || t("devMail.noSubject")}
                    </Link>
                  </td>
                  <td className="py-2">{t("devMail.kilobytes", { size: Math.ceil(m.size / 1024) })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

// The development text-message viewer: what the SMS sink received (no Twilio settings). Absent from production: the
// route answers 404 there, and production never selects the sink.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { formatJst } from "~/lib/format";
import { devSmsAvailable, listSinkSms } from "~/notify/sms-transport.server";

export const permission: Permission = "mail:view-sink";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "notify:devSms.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  if (!devSmsAvailable()) throw new Response("Not found", { status: 404 });
  return { messages: listSinkSms() };
}

export default function DevSms() {
  const { messages } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("notify");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-bold">{t("devSms.title")}</h1>
        <p className="text-sm text-slate-600">{t("devSms.intro")}</p>
      </div>
      <div className="card overflow-x-auto">
        {messages.length === 0 ? (
          <p className="text-sm text-slate-600">{t("devSms.empty")}</p>
        ) : (
          <table className="min-w-full text-left text-sm" data-testid="dev-sms-table">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2 pr-3">{t("devSms.sent")}</th>
                <th className="py-2 pr-3">{t("devSms.to")}</th>
                <th className="py-2">{t("devSms.text")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {messages.map((message) => (
                <tr key={message.id}>
                  <td className="py-2 pr-3 whitespace-nowrap">{formatJst(message.receivedAt, language)}</td>
                  <td className="py-2 pr-3">{message.to}</td>
                  <td className="py-2">{message.body}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}

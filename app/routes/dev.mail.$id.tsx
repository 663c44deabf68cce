// One message from the development mail sink: envelope, headers we set, the text part, and the HTML part framed from
// its own sandboxed page. 404 in production.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { formatJst } from "~/lib/format";
import { findSinkMessage } from "~/notify/dev-sink.server";
import { devMailAvailable } from "~/notify/email-html-response.server";

export const permission: Permission = "mail:view-sink";

export const meta: MetaFunction = () => [{ title: "Sent mail (development) · Firebreak" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  if (!devMailAvailable()) throw new Response("Not found", { status: 404 });
  const message = findSinkMessage(params.id ?? "");
  if (!message) throw new Response("Not found", { status: 404 });
  return json({ message }, { headers: { "Cache-Control": "no-store" } });
}

export default function DevMailMessage() {
  const { message } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link className="underline" to="/dev/mail">
          Sent mail
        </Link>
      </p>
      <div className="card space-y-1 text-sm">
        <h1 className="text-lg font-semibold" data-testid="dev-mail-subject">
          {message.subject}
        </h1>
        <p>From: {message.from}</p>
        <p>
          To: {message.to} (envelope: {message.envelopeTo.join(", ")})
        </p>
        <p>Received: {formatJst(message.receivedAt)}</p>
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
            title="HTML part"
            sandbox=""
            className="h-[40rem] w-full rounded ring-1 ring-slate-200"
            src={`/dev/mail/${message.id}/html`}
          />
        ) : (
          <p className="card text-sm text-slate-600">No HTML part.</p>
        )}
      </div>
    </div>
  );
}

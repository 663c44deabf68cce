import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { killSwitchContextOf } from "~/killswitch/context.server";
import { ServiceTokenActionSchema } from "~/killswitch/schemas";
import { createServiceToken, listServiceTokensWithNames, revokeServiceToken } from "~/killswitch/service-tokens.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Admins issue and revoke the credentials other payment services use to read the kill switches.
export const permission: Permission = "service-tokens:manage";

export const meta: MetaFunction = () => [{ title: "Service tokens · Firebreak" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return json({ steppedUp: hasRecentStepUp(ctx), tokens: await listServiceTokensWithNames() });
}

interface ActionData {
  formId: string;
  result: SubmissionResult<string[]>;
  created: { serviceName: string; token: string; tokenPrefix: string } | null;
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  requireStepUp(request, ctx);
  const formData = await readForm(request, ctx.staff.language);
  const formId = String(formData.get("formId") ?? "").slice(0, 120);
  const submission = parseFormData(formData, ServiceTokenActionSchema, ctx.staff.language);
  if (submission.status !== "success")
    return json<ActionData>({ formId, result: submission.reply(), created: null }, { status: 400 });
  const input = submission.value;
  try {
    if (input.intent === "create") {
      const created = await createServiceToken(killSwitchContextOf(ctx), {
        serviceName: input.serviceName ?? "",
        description: input.description,
      });
      // The token is in this one response only: never stored in clear, never in a toast cookie or the audit trail.
      return json<ActionData>(
        {
          formId,
          result: submission.reply({ resetForm: true }),
          created: { serviceName: created.serviceName, token: created.token, tokenPrefix: created.tokenPrefix },
        },
        { headers: { "Cache-Control": "no-store" } },
      );
    }
    await revokeServiceToken(killSwitchContextOf(ctx), { tokenId: input.tokenId, reason: input.reason ?? "" });
    return redirectWithToast("/admin/service-tokens", {
      kind: "success",
      message: "Token revoked: the service can no longer read the kill switches with it.",
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json<ActionData>(
      { formId, result: submission.reply({ formErrors: [error.message] }), created: null },
      { status: error.status },
    );
  }
}

export default function ServiceTokens() {
  const { tokens, steppedUp } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Service tokens</h1>
        <p className="text-sm text-slate-600">
          Payment services read the kill switches from <code>GET /api/v1/kill-switches</code> and report what they
          applied to <code>POST /api/v1/kill-switches/ack</code>, with <code>Authorization: Bearer &lt;token&gt;</code>.
          A token is shown once, when it is created; only its hash is kept.
        </p>
      </div>
      {actionData?.created ? <CreatedToken created={actionData.created} /> : null}
      {steppedUp ? (
        <CreateForm lastResult={actionData?.formId === "create" ? actionData.result : undefined} />
      ) : (
        <StepUpNotice returnTo="/admin/service-tokens" what="Creating or revoking a service token" />
      )}
      <section className="card overflow-x-auto p-0">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="service-tokens">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">Service</th>
              <th className="px-4 py-2">Token</th>
              <th className="px-4 py-2">Created</th>
              <th className="px-4 py-2">Last used</th>
              <th className="px-4 py-2">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.length === 0 ? (
              <tr>
                <td className="px-4 py-3 text-slate-600" colSpan={5}>
                  No service tokens yet.
                </td>
              </tr>
            ) : null}
            {tokens.map((token) => (
              <tr key={token.id} className={token.revokedAt ? "text-slate-400" : ""}>
                <td className="px-4 py-2">
                  <span className="font-medium">{token.serviceName}</span>
                  {token.description ? <div className="text-xs text-slate-500">{token.description}</div> : null}
                </td>
                <td className="px-4 py-2">
                  <code>{token.tokenPrefix}…</code>
                </td>
                <td className="px-4 py-2">
                  {formatJst(token.createdAt)}
                  <div className="text-xs text-slate-500">by {token.createdBy}</div>
                </td>
                <td className="px-4 py-2">{formatJst(token.lastUsedAt)}</td>
                <td className="px-4 py-2">
                  {token.revokedAt ? (
                    <span>
                      Revoked {formatJst(token.revokedAt)} by {token.revokedBy}: {token.revokeReason}
                    </span>
                  ) : steppedUp ? (
                    <RevokeForm
                      tokenId={token.id}
                      lastResult={actionData?.formId === `revoke:${token.id}` ? actionData.result : undefined}
                    />
                  ) : (
                    "Active"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function CreatedToken({ created }: { created: { serviceName: string; token: string; tokenPrefix: string } }) {
  return (
    <section className="card space-y-2 ring-emerald-300" data-testid="created-token-panel">
      <h2 className="font-semibold">Token for {created.serviceName}</h2>
      <p className="text-sm text-slate-600">
        Copy it into the service&apos;s secret store now. It is not shown again; if it is lost, create a new one and
        revoke this one.
      </p>
      <code className="block select-all break-all rounded bg-slate-100 px-3 py-2 text-sm" data-testid="created-token">
        {created.token}
      </code>
    </section>
  );
}

function CreateForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation();
  const [form, fields] = useForm<{ serviceName: string; description: string }>({ id: "create", lastResult });
  return (
    <section className="card">
      <h2 className="font-semibold">Create a token</h2>
      <Form method="post" {...getFormProps(form)} className="mt-3 grid gap-4 sm:grid-cols-2">
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="formId" value="create" />
        <div className="sm:col-span-2">
          <FormErrors id={form.errorId} errors={form.errors as string[] | undefined} />
        </div>
        <div>
          <label className="label" htmlFor={fields.serviceName.id}>
            Service name
          </label>
          <input
            {...getInputProps(fields.serviceName, { type: "text" })}
            className="input mt-1"
            placeholder="payments-gateway"
            autoComplete="off"
          />
          <FieldErrors id={fields.serviceName.errorId} errors={fields.serviceName.errors as string[] | undefined} />
        </div>
        <div>
          <label className="label" htmlFor={fields.description.id}>
            Description <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <input
            {...getInputProps(fields.description, { type: "text" })}
            className="input mt-1"
            placeholder="Card acquiring, Tokyo cluster"
            autoComplete="off"
          />
        </div>
        <div className="sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={navigation.state === "submitting"}>
            Create token
          </button>
        </div>
      </Form>
    </section>
  );
}

function RevokeForm({ tokenId, lastResult }: { tokenId: string; lastResult: SubmissionResult<string[]> | undefined }) {
  const [form, fields] = useForm<{ reason: string }>({ id: `revoke-${tokenId}`, lastResult });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-2">
      <input type="hidden" name="intent" value="revoke" />
      <input type="hidden" name="formId" value={`revoke:${tokenId}`} />
      <input type="hidden" name="tokenId" value={tokenId} />
      <input
        {...getInputProps(fields.reason, { type: "text" })}
        className="input w-48"
        placeholder="Reason for revoking"
        aria-label="Reason for revoking"
      />
      <button type="submit" className="btn-secondary">
        Revoke
      </button>
      <div className="w-full">
        <FormErrors id={form.errorId} errors={form.errors as string[] | undefined} />
      </div>
    </Form>
  );
}

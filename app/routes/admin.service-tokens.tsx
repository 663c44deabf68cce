import { getFormProps, getInputProps, useForm, type SubmissionResult } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { StepUpNotice } from "~/auth/ui/staff-badges";
import { killSwitchContextOf } from "~/killswitch/context.server";
import { ServiceTokenActionSchema } from "~/killswitch/schemas";
import { DEFAULT_VALID_DAYS, MAX_VALID_DAYS } from "~/killswitch/service-token-validity";
import { createServiceToken, listServiceTokensWithNames, revokeServiceToken } from "~/killswitch/service-tokens.server";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { now } from "~/lib/clock.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseFormData, readForm } from "~/lib/form.server";

// Admins issue and revoke the credentials other payment services use to read the kill switches.
export const permission: Permission = "service-tokens:manage";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "admin:tokens.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const tokens = (await listServiceTokensWithNames()).map((token) => ({
    ...token,
    expired: token.expiresAt.getTime() <= now().getTime(),
  }));
  return { steppedUp: hasRecentStepUp(ctx), tokens };
}

interface ActionData {
  formId: string;
  result: SubmissionResult<string[]>;
  created: { serviceName: string; token: string; tokenPrefix: string } | null;
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  await requireStepUp(request, ctx);
  const formData = await readForm(request, ctx.staff.language);
  const formId = String(formData.get("formId") ?? "").slice(0, 120);
  const language = ctx.staff.language;
  const submission = parseFormData(formData, ServiceTokenActionSchema, language);
  if (submission.status !== "success")
    return data<ActionData>({ formId, result: submission.reply(), created: null }, { status: 400 });
  const input = submission.value;
  try {
    if (input.intent === "create") {
      const created = await createServiceToken(killSwitchContextOf(ctx), {
        serviceName: input.serviceName ?? "",
        description: input.description,
        validDays: input.validDays,
      });
      // The token is in this one response only: never stored in clear, never in a toast cookie or the audit trail.
      return {
        formId,
        result: submission.reply({ resetForm: true }),
        created: { serviceName: created.serviceName, token: created.token, tokenPrefix: created.tokenPrefix },
      };
    }
    await revokeServiceToken(killSwitchContextOf(ctx), { tokenId: input.tokenId, reason: input.reason ?? "" });
    return redirectWithToast("/admin/service-tokens", {
      kind: "success",
      message: translatorFor(language, "admin")("tokens.revoked"),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data<ActionData>(
      { formId, result: submission.reply({ formErrors: [translateDomainError(language, error)] }), created: null },
      { status: error.status },
    );
  }
}

export default function ServiceTokens() {
  const { tokens, steppedUp } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const orphaned = tokens.filter((token) => token.orphanedBecause !== null).length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("tokens.title")}</h1>
        <p className="text-sm text-slate-600">
          <Trans
            t={t}
            i18nKey="tokens.intro"
            components={{ code: <code />, bearer: <code>Authorization: Bearer &lt;token&gt;</code> }}
          />
        </p>
      </div>
      {orphaned > 0 ? (
        <p className="card text-sm ring-amber-300" role="alert" data-testid="orphaned-tokens">
          {t("tokens.orphaned.banner", { n: orphaned })}
        </p>
      ) : null}
      {actionData?.created ? <CreatedToken created={actionData.created} /> : null}
      {steppedUp ? (
        <CreateForm lastResult={actionData?.formId === "create" ? actionData.result : undefined} />
      ) : (
        <StepUpNotice returnTo="/admin/service-tokens" what={t("tokens.stepUpWhat")} />
      )}
      <section className="card overflow-x-auto p-0">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="service-tokens">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">{t("tokens.service")}</th>
              <th className="px-4 py-2">{t("tokens.token")}</th>
              <th className="px-4 py-2">{t("tokens.created")}</th>
              <th className="px-4 py-2">{t("tokens.lastUsed")}</th>
              <th className="px-4 py-2">{t("tokens.expires")}</th>
              <th className="px-4 py-2">{t("tokens.status")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.length === 0 ? (
              <tr>
                <td className="px-4 py-3 text-slate-600" colSpan={6}>
                  {t("tokens.empty")}
                </td>
              </tr>
            ) : null}
            {tokens.map((token) => (
              <tr key={token.id} className={token.revokedAt || token.expired ? "text-slate-400" : ""}>
                <td className="px-4 py-2">
                  <span className="font-medium">{token.serviceName}</span>
                  {token.description ? <div className="text-xs text-slate-500">{token.description}</div> : null}
                </td>
                <td className="px-4 py-2">
                  <code>{token.tokenPrefix}…</code>
                </td>
                <td className="px-4 py-2">
                  {formatJst(token.createdAt, language)}
                  <div className="text-xs text-slate-500">{t("tokens.by", { name: token.createdBy })}</div>
                </td>
                <td className="px-4 py-2">{formatJst(token.lastUsedAt, language)}</td>
                <td className="px-4 py-2" data-testid="token-expires">
                  {formatJst(token.expiresAt, language)}
                </td>
                <td className="px-4 py-2">
                  {token.orphanedBecause ? (
                    <div className="mb-1 text-xs font-semibold text-amber-800" data-testid="token-orphaned">
                      {t(`tokens.orphaned.${token.orphanedBecause}`)}
                    </div>
                  ) : null}
                  {token.expired && !token.revokedAt ? (
                    <span>{t("tokens.expired")}</span>
                  ) : token.revokedAt ? (
                    <span>
                      {t("tokens.revokedBy", {
                        at: formatJst(token.revokedAt, language),
                        name: token.revokedBy,
                        reason: token.revokeReason,
                      })}
                    </span>
                  ) : steppedUp ? (
                    <RevokeForm
                      tokenId={token.id}
                      orphaned={token.orphanedBecause !== null}
                      lastResult={actionData?.formId === `revoke:${token.id}` ? actionData.result : undefined}
                    />
                  ) : (
                    t("tokens.active")
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
  const { t } = useTranslation("admin");
  return (
    <section className="card space-y-2 ring-emerald-300" data-testid="created-token-panel">
      <h2 className="font-semibold">{t("tokens.tokenFor", { service: created.serviceName })}</h2>
      <p className="text-sm text-slate-600">{t("tokens.copyNow")}</p>
      <code className="block select-all break-all rounded bg-slate-100 px-3 py-2 text-sm" data-testid="created-token">
        {created.token}
      </code>
    </section>
  );
}

function CreateForm({ lastResult }: { lastResult: SubmissionResult<string[]> | undefined }) {
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const [form, fields] = useForm<{ serviceName: string; description: string; validDays: string }>({
    id: "create",
    lastResult,
  });
  return (
    <section className="card">
      <h2 className="font-semibold">{t("tokens.create")}</h2>
      <Form method="post" {...getFormProps(form)} className="mt-3 grid gap-4 sm:grid-cols-2">
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="formId" value="create" />
        <div className="sm:col-span-2">
          <FormErrors id={form.errorId} errors={form.errors as string[] | undefined} />
        </div>
        <div>
          <label className="label" htmlFor={fields.serviceName.id}>
            {t("tokens.serviceName")}
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
            {t("tokens.description")} <span className="font-normal text-slate-500">{t("tokens.optional")}</span>
          </label>
          <input
            {...getInputProps(fields.description, { type: "text" })}
            className="input mt-1"
            placeholder={t("tokens.descriptionPlaceholder")}
            autoComplete="off"
          />
        </div>
        <div>
          <label className="label" htmlFor={fields.validDays.id}>
            {t("tokens.validDays")}
          </label>
          <input
            {...getInputProps(fields.validDays, { type: "number" })}
            className="input mt-1 w-32"
            min={1}
            max={MAX_VALID_DAYS}
            defaultValue={DEFAULT_VALID_DAYS}
          />
          <p className="mt-1 text-xs text-slate-500">{t("tokens.validDaysHint", { max: MAX_VALID_DAYS })}</p>
          <FieldErrors id={fields.validDays.errorId} errors={fields.validDays.errors as string[] | undefined} />
        </div>
        <div className="sm:col-span-2">
          <button type="submit" className="btn-primary" disabled={navigation.state === "submitting"}>
            {t("tokens.submit")}
          </button>
        </div>
      </Form>
    </section>
  );
}

// An orphaned token's form comes with its reason filled in: one click revokes it (after the page's step-up).
function RevokeForm({
  tokenId,
  orphaned,
  lastResult,
}: {
  tokenId: string;
  orphaned: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const { t } = useTranslation("admin");
  const [form, fields] = useForm<{ reason: string }>({ id: `revoke-${tokenId}`, lastResult });
  return (
    <Form method="post" {...getFormProps(form)} className="flex flex-wrap items-start gap-2">
      <input type="hidden" name="intent" value="revoke" />
      <input type="hidden" name="formId" value={`revoke:${tokenId}`} />
      <input type="hidden" name="tokenId" value={tokenId} />
      <input
        {...getInputProps(fields.reason, { type: "text" })}
        className="input w-48"
        placeholder={t("tokens.reasonRevoke")}
        aria-label={t("tokens.reasonRevoke")}
        {...(orphaned ? { defaultValue: t("tokens.orphaned.reason") } : {})}
      />
      <button type="submit" className="btn-secondary">
        {orphaned ? t("tokens.orphaned.revoke") : t("tokens.revoke")}
      </button>
      <div className="w-full">
        <FormErrors id={form.errorId} errors={form.errors as string[] | undefined} />
      </div>
    </Form>
  );
}

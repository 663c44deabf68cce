import { getFormProps, getInputProps, getSelectProps, useForm, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { hasRecentStepUp, requirePermission, requireStepUp } from "~/auth/guard.server";
import { ROLES, type Permission } from "~/auth/permissions";
import { GrantDecisionSchema, InviteStaffSchema } from "~/auth/schemas";
import { inviteStaff } from "~/auth/staff-admin.server";
import { listStaff } from "~/auth/staff-directory.server";
import { approveStaffGrant, declineStaffGrant, listPendingGrants } from "~/auth/staff-grants.server";
import { grantFiledMessage } from "~/auth/grant-messages.server";
import { FieldErrors, FormErrors } from "~/auth/ui/auth-panel";
import { GrantRequestsPanel } from "~/auth/ui/grant-requests-panel";
import { RoleBadge, StatusBadge, StepUpNotice, useRoleName } from "~/auth/ui/staff-badges";
import { isLanguage } from "~/i18n/config";
import { translatorFor } from "~/i18n/i18next.server";
import { pageTitle } from "~/i18n/fixed-t";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { parseFormData, readForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";
import { redirectWithToast } from "~/lib/toast.server";
import type { StaffContext } from "~/auth/guard.server";

export const permission: Permission = "staff:manage";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "admin:staff.pageTitle") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return {
    staff: await listStaff(),
    grants: await listPendingGrants(),
    steppedUp: hasRecentStepUp(ctx),
    me: ctx.staff.id,
  };
}

// A refusal may mean another admin decided a request meanwhile: show the list as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const language = ctx.staff.language;
  const form = await readForm(request, language);
  if (form.get("intent") === "invite") return invite(request, ctx, form);
  return decideGrant(request, ctx, form);
}

async function invite(request: Request, ctx: StaffContext, form: FormData) {
  // Creating an account with any role is at least as sensitive as changing one: a fresh TOTP code is required.
  await requireStepUp(request, ctx);
  const language = ctx.staff.language;
  const submission = parseFormData(form, InviteStaffSchema, language);
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  const t = translatorFor(language, "admin");
  try {
    const outcome = await inviteStaff(ctx, submission.value);
    if (outcome.kind === "requested") {
      const { email, role } = submission.value;
      return redirectWithToast("/admin/staff", {
        kind: "info",
        message: grantFiledMessage(
          language,
          outcome.grant,
          t("grants.toast.inviteRequested", { email, role: translatorFor(language, "common")(`role.${role}`) }),
        ),
      });
    }
    // The link goes to the new member's own address; the admin learns where it went, never the link.
    return redirectWithToast(`/admin/staff/${outcome.staffId}`, {
      kind: "success",
      message: t("invite.sent", { to: outcome.link.sentTo, until: formatJst(outcome.link.expiresAt, language) }),
    });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data(
      { result: submission.reply({ formErrors: [translateDomainError(language, error)] }) },
      { status: error.status },
    );
  }
}

async function decideGrant(request: Request, ctx: StaffContext, form: FormData) {
  const language = ctx.staff.language;
  const t = translatorFor(language, "admin");
  const submission = parseFormData(form, GrantDecisionSchema, language);
  if (submission.status !== "success") return data({ grantError: t("grants.incomplete") }, { status: 400 });
  const { intent, requestId, reason } = submission.value;
  try {
    if (intent === "decline-grant") {
      await declineStaffGrant(ctx, { requestId, reason });
      return redirectWithToast("/admin/staff", { kind: "info", message: t("grants.toast.declined") });
    }
    // Approving creates a privileged identity: the second admin re-enters a code first.
    await requireStepUp(request, ctx);
    const approved = await approveStaffGrant(ctx, { requestId, reason });
    const message =
      approved.kind === "ROLE_RAISE"
        ? t("grants.toast.approvedRole", { role: translatorFor(ctx.staff.language, "common")(`role.${approved.role}`) })
        : t(approved.kind === "INVITE" ? "grants.toast.approvedInvite" : "grants.toast.approvedEnable", {
            to: approved.link.sentTo,
            until: formatJst(approved.link.expiresAt, language),
          });
    return redirectWithToast(`/admin/staff/${approved.staffId}`, { kind: "success", message });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ grantError: translateDomainError(language, error) }, { status: error.status });
  }
}

export default function StaffIndex() {
  const { staff, grants, steppedUp, me } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("admin");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("staff.title")}</h1>
        <p className="text-sm text-slate-600">{t("staff.intro")}</p>
      </div>
      <section className="card overflow-x-auto p-0">
        <table className="min-w-full divide-y divide-slate-200 text-sm" data-testid="staff-table">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-4 py-2">{t("staff.name")}</th>
              <th className="px-4 py-2">{t("staff.role")}</th>
              <th className="px-4 py-2">{t("staff.status")}</th>
              <th className="px-4 py-2">{t("staff.sessions")}</th>
              <th className="px-4 py-2">{t("staff.lastSignIn")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {staff.map((member) => (
              <tr key={member.id}>
                <td className="px-4 py-2">
                  <Link className="font-medium text-slate-900 underline" to={`/admin/staff/${member.id}`}>
                    {member.displayName}
                  </Link>
                  {member.id === me ? <span className="ml-1 text-xs text-slate-500">{t("staff.you")}</span> : null}
                  <div className="text-xs text-slate-500">{member.email}</div>
                </td>
                <td className="px-4 py-2">
                  <RoleBadge role={member.role} />
                </td>
                <td className="px-4 py-2">
                  <StatusBadge status={member.status} />
                </td>
                <td className="px-4 py-2">{member.activeSessions}</td>
                <td className="px-4 py-2 text-slate-600">{formatJst(member.lastSignInAt, language)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <GrantRequestsPanel
        requests={grants.requests}
        activeAdmins={grants.activeAdmins}
        me={me}
        steppedUp={steppedUp}
        error={actionData && "grantError" in actionData ? actionData.grantError : null}
      />
      <InviteForm
        steppedUp={steppedUp}
        lastResult={actionData && "result" in actionData ? actionData.result : undefined}
      />
    </div>
  );
}

function InviteForm({
  steppedUp,
  lastResult,
}: {
  steppedUp: boolean;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const navigation = useNavigation();
  const { t } = useTranslation("admin");
  const roleName = useRoleName();
  const [form, fields] = useForm({
    lastResult,
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteStaffSchema }),
  });
  return (
    <section className="card space-y-4">
      <div>
        <h2 className="font-semibold">{t("invite.title")}</h2>
        <p className="text-sm text-slate-600">{t("invite.intro")}</p>
      </div>
      {!steppedUp ? (
        <StepUpNotice returnTo="/admin/staff" what={t("invite.stepUpWhat")} />
      ) : (
        <Form method="post" {...getFormProps(form)} className="grid gap-4 sm:grid-cols-2">
          <input type="hidden" name="intent" value="invite" />
          <div className="sm:col-span-2">
            <FormErrors id={form.errorId} errors={form.errors} />
          </div>
          <div>
            <label className="label" htmlFor={fields.email.id}>
              {t("invite.email")}
            </label>
            <input {...getInputProps(fields.email, { type: "email" })} className="input mt-1" autoComplete="off" />
            <FieldErrors id={fields.email.errorId} errors={fields.email.errors} />
          </div>
          <div>
            <label className="label" htmlFor={fields.displayName.id}>
              {t("invite.name")}
            </label>
            <input {...getInputProps(fields.displayName, { type: "text" })} className="input mt-1" autoComplete="off" />
            <FieldErrors id={fields.displayName.errorId} errors={fields.displayName.errors} />
          </div>
          <div className="sm:col-span-2">
            <label className="label" htmlFor={fields.role.id}>
              {t("invite.role")}
            </label>
            <select {...getSelectProps(fields.role)} className="input mt-1">
              <option value="">{t("invite.chooseRole")}</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {roleName(role)} — {t(`roleDescription.${role}`)}
                </option>
              ))}
            </select>
            <FieldErrors id={fields.role.errorId} errors={fields.role.errors} />
          </div>
          <div className="sm:col-span-2">
            <label className="label" htmlFor={fields.language.id}>
              {t("invite.language")}
            </label>
            <select {...getSelectProps(fields.language)} className="input mt-1">
              <option value="ja">日本語</option>
              <option value="en">English</option>
            </select>
            <FieldErrors id={fields.language.errorId} errors={fields.language.errors} />
          </div>
          <div className="sm:col-span-2">
            <button type="submit" className="btn-primary" disabled={navigation.state === "submitting"}>
              {t("invite.submit")}
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}

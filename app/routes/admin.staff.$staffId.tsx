import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { ActionName } from "~/audit/components/action-name";
import { AuditValue, SystemReason } from "~/audit/components/system-reason";
import { hasRecentStepUp, requirePermission, requireStepUp, type StaffContext } from "~/auth/guard.server";
import { isPrivilegedRole, ROLES, type Permission } from "~/auth/permissions";
import { StaffActionSchema } from "~/auth/schemas";
import {
  changeStaffRole,
  disableStaff,
  enableStaff,
  endStaffSessions,
  reissueInvite,
  resetStaffTotp,
  unlockStaff,
  type TokensLeftLive,
} from "~/auth/staff-admin.server";
import { loadStaffDetail } from "~/auth/staff-directory.server";
import { grantFiledMessage } from "~/auth/grant-messages.server";
import { listPendingGrants, type PendingGrant } from "~/auth/staff-grants.server";
import { RoleBadge, StatusBadge, StepUpNotice, useRoleName } from "~/auth/ui/staff-badges";
import { auditRoleName } from "~/audit/system-reasons";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { isUuid } from "~/lib/uuid";
import { parseForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "staff:manage";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "admin:member.pageTitle") }];

type Member = Awaited<ReturnType<typeof loader>>["member"];

// Which changes need a fresh TOTP code: the ones that grant or restore access. Containment (disable, end sessions)
// and unlocking stay one click away during an incident, except an unlock that lifts the block only an admin lifts:
// the spine asks for the code there (unlockStaff), and the page offers the step-up instead of the button.
const NEEDS_STEP_UP = new Set(["change-role", "enable", "reset-totp", "reissue-link"]);

function notFound(ctx: StaffContext): Response {
  return new Response(translatorFor(ctx.staff.language, "admin")("member.notFound"), { status: 404 });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const staffId = params.staffId ?? "";
  if (!isUuid(staffId)) throw notFound(ctx);
  const member = await loadStaffDetail(staffId);
  if (!member) throw notFound(ctx);
  const { requests: pendingGrants } = await listPendingGrants({ staffId });
  return { member, pendingGrants, steppedUp: hasRecentStepUp(ctx), isSelf: ctx.staff.id === staffId };
}

/** A member disabled or demoted leaves their service tokens working: the admin is told to replace them (ADR 094). */
function withTokensLeftLive(t: TFunction<"admin">, message: string, outcome: TokensLeftLive): string {
  const n = outcome.serviceTokensLeftLive;
  return n > 0 ? `${message} ${t("member.toast.tokensLeftLive", { n })}` : message;
}

async function applyChange(
  ctx: StaffContext,
  t: TFunction<"admin">,
  staffId: string,
  change: ReturnType<typeof StaffActionSchema.parse>,
) {
  switch (change.intent) {
    // A raise to a privileged role only files a request: a second admin approves it on the staff page.
    case "change-role": {
      // The role by its name in the reader's language, not its code (a toast said "SECURITY_LEAD に変更しました").
      const role = translatorFor(ctx.staff.language, "common")(`role.${change.role}`);
      const outcome = await changeStaffRole(ctx, staffId, change.role, change.reason);
      if (outcome.kind === "changed") {
        return withTokensLeftLive(t, t("member.toast.roleChanged", { role }), outcome);
      }
      const filed = t("grants.toast.roleRequested", { role });
      return grantFiledMessage(ctx.staff.language, outcome.grant, filed);
    }
    case "disable": {
      const outcome = await disableStaff(ctx, staffId, change.reason);
      return withTokensLeftLive(t, t("member.toast.disabled", { n: outcome.sessionsEnded }), outcome);
    }
    // Re-enabling voids the old credentials and mails a set-up link; a privileged member's waits for a second admin.
    case "enable": {
      const outcome = await enableStaff(ctx, staffId, change.reason);
      if (outcome.kind === "requested") {
        return grantFiledMessage(ctx.staff.language, outcome.grant, t("grants.toast.enableRequested"));
      }
      const { sentTo: to, expiresAt } = outcome.link;
      return t("member.toast.enabled", { to, until: formatJst(expiresAt, ctx.staff.language) });
    }
    case "end-sessions": {
      const { sessionsEnded } = await endStaffSessions(ctx, staffId);
      return t("member.toast.sessionsEnded", { n: sessionsEnded });
    }
    case "unlock":
      await unlockStaff(ctx, staffId);
      return t("member.toast.unlocked");
    // The link goes to the member's own address: the admin is told where and until when, never the link.
    case "reissue-link": {
      const link = await reissueInvite(ctx, staffId);
      return t("member.toast.linkSent", { to: link.sentTo, until: formatJst(link.expiresAt, ctx.staff.language) });
    }
    case "reset-totp": {
      const link = await resetStaffTotp(ctx, staffId, change.reason);
      return t("member.toast.totpReset", { to: link.sentTo, until: formatJst(link.expiresAt, ctx.staff.language) });
    }
  }
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const staffId = params.staffId ?? "";
  if (!isUuid(staffId)) throw notFound(ctx);
  const t = translatorFor(ctx.staff.language, "admin");
  const submission = await parseForm(request, StaffActionSchema, ctx.staff.language);
  if (submission.status !== "success") {
    return data({ error: t("member.incomplete") }, { status: 400 });
  }
  const change = submission.value;
  if (NEEDS_STEP_UP.has(change.intent)) await requireStepUp(request, ctx);
  try {
    const message = await applyChange(ctx, t, staffId, change);
    return redirectWithToast(`/admin/staff/${staffId}`, { kind: "success", message });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function StaffMember() {
  const { member, pendingGrants, steppedUp, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const here = `/admin/staff/${member.id}`;
  const { t } = useTranslation("admin");
  return (
    <div className="space-y-6">
      <div>
        <Link to="/admin/staff" className="text-sm text-slate-600 underline">
          {t("member.allStaff")}
        </Link>
        <h1 className="mt-2 flex flex-wrap items-center gap-2 text-2xl font-bold">
          {member.displayName} <RoleBadge role={member.role} /> <StatusBadge status={member.status} />
        </h1>
        <p className="text-sm text-slate-600">{member.email}</p>
      </div>
      {actionData?.error ? (
        <div
          role="alert"
          data-testid="form-error"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200"
        >
          {actionData.error}
        </div>
      ) : null}
      <PendingGrants requests={pendingGrants} />
      <LinkMail member={member} />
      <Facts member={member} />
      {isSelf ? (
        <p className="card text-sm text-slate-600">{t("member.self")}</p>
      ) : (
        <Actions member={member} steppedUp={steppedUp} here={here} />
      )}
      <Events member={member} />
    </div>
  );
}

/** A raise of this member that waits for a second admin: decided on the staff page, with the other requests. */
function PendingGrants({ requests }: { requests: PendingGrant[] }) {
  const { t, i18n } = useTranslation("admin");
  const roleName = useRoleName();
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  if (requests.length === 0) return null;
  return (
    <section className="card space-y-1 text-sm" data-testid="member-pending-grants">
      {requests.map((row) => (
        <p key={row.id}>
          {t(row.kind === "REENABLE" ? "grants.pendingEnableForMember" : "grants.pendingForMember", {
            role: roleName(row.role),
            who: row.requestedBy,
            at: formatJst(row.requestedAt, language),
          })}{" "}
          <Link className="underline" to="/admin/staff">
            {t("grants.title")}
          </Link>
        </p>
      ))}
    </section>
  );
}

/** Where the latest one-time link went and whether it arrived; the link itself is never shown. */
function LinkMail({ member }: { member: Member }) {
  const { t, i18n } = useTranslation("admin");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const mail = member.linkMail;
  if (!mail) return null;
  return (
    <section className="card space-y-2 text-sm" data-testid="link-mail">
      <h2 className="font-semibold">{t("member.linkMail.title")}</h2>
      <p>
        {t("member.linkMail.sent", { to: mail.sentTo, at: formatJst(mail.queuedAt, language) })}{" "}
        {mail.expiresAt
          ? t("member.linkMail.validUntil", { until: formatJst(mail.expiresAt, language) })
          : t("member.linkMail.notLive")}
      </p>
      <p>
        {t("member.linkMail.delivery")}:{" "}
        <span className="font-medium" data-testid="link-mail-status" data-status={mail.status}>
          {t(`member.linkMail.status.${mail.status}`)}
          {mail.sentAt ? ` ${formatJst(mail.sentAt, language)}` : ""}
        </span>
      </p>
      {mail.status === "FAILED" ? <p className="text-red-800">{t("member.linkMail.failedHelp")}</p> : null}
      {mail.status === "UNCERTAIN" ? <p className="text-amber-800">{t("member.linkMail.uncertainHelp")}</p> : null}
      <p className="text-slate-600">{t("member.linkMail.onlyToThem")}</p>
    </section>
  );
}

function Facts({ member }: { member: Member }) {
  const { t, i18n } = useTranslation("admin");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const at = (value: Date | null) => formatJst(value, language);
  const rows: [string, string][] = [
    [t("member.facts.created"), at(member.createdAt)],
    [
      t("member.facts.authenticator"),
      member.totpEnrolledAt ? t("member.facts.setUp", { at: at(member.totpEnrolledAt) }) : t("member.facts.notSetUp"),
    ],
    [t("member.facts.recoveryCodesLeft"), String(member.recoveryCodesLeft)],
    [t("member.facts.wrongPasswords"), String(member.failedPasswordCount)],
    [t("member.facts.lockedUntil"), at(member.lockedUntil)],
    [t("member.facts.secondStepBlocked"), at(member.secondStepBlockedUntil)],
    [
      t("member.facts.wrongCodesInARow"),
      member.signInLockedUntilUnlocked
        ? t("member.facts.lockedUntilUnlocked", { failures: member.wrongSignInCodesInARow })
        : String(member.wrongSignInCodesInARow),
    ],
    [
      t("member.facts.pendingLink"),
      member.pendingInviteExpiresAt
        ? t("member.facts.validUntil", { at: at(member.pendingInviteExpiresAt) })
        : t("member.facts.none"),
    ],
    [t("member.facts.disabled"), at(member.disabledAt)],
  ];
  return (
    <section className="grid gap-6 lg:grid-cols-2">
      <dl className="card grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-500">{label}</dt>
            <dd className="text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
      <div className="card text-sm">
        <h2 className="font-semibold">{t("member.sessions", { n: member.sessions.length })}</h2>
        <ul className="mt-2 space-y-1" data-testid="session-list">
          {member.sessions.map((s, index) => (
            <li key={index} className="text-slate-700">
              {t("member.session", {
                stage: s.stage === "FULL" ? t("member.signedIn") : t("member.passwordOnly"),
                since: at(s.createdAt),
                lastSeen: at(s.lastSeenAt),
                ip: s.ip ?? t("member.unknownAddress"),
              })}
            </li>
          ))}
          {member.sessions.length === 0 ? <li className="text-slate-500">{t("member.noSessions")}</li> : null}
        </ul>
      </div>
    </section>
  );
}

function ActionButton({ intent, label, danger = false }: { intent: string; label: string; danger?: boolean }) {
  const navigation = useNavigation();
  return (
    <button
      type="submit"
      name="intent"
      value={intent}
      className={danger ? "btn-danger" : "btn-secondary"}
      disabled={navigation.state === "submitting"}
    >
      {label}
    </button>
  );
}

function ReasonField({ id }: { id: string }) {
  const { t } = useTranslation("admin");
  return (
    <div className="flex-1">
      <label className="label" htmlFor={id}>
        {t("member.reason")}
      </label>
      <input id={id} name="reason" className="input mt-1" required minLength={3} maxLength={500} />
    </div>
  );
}

function Actions({ member, steppedUp, here }: { member: Member; steppedUp: boolean; here: string }) {
  const { t } = useTranslation("admin");
  return (
    <section className="card space-y-6">
      <h2 className="font-semibold">{t("member.manage")}</h2>
      <div className="flex flex-wrap gap-3">
        <Form method="post">
          <ActionButton intent="end-sessions" label={t("member.endSessions")} />
        </Form>
        {/* Lifting the block that waits for an admin needs a fresh code (ADR 094): the step-up notice below offers it. */}
        {(member.lockedUntil || member.secondStepBlockedUntil || member.signInLockedUntilUnlocked) &&
        (steppedUp || !member.signInLockedUntilUnlocked) ? (
          <Form method="post">
            <ActionButton intent="unlock" label={t("member.unlock")} />
          </Form>
        ) : null}
      </div>
      {member.disabledAt ? null : (
        <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="disable-form">
          <ReasonField id="disable-reason" />
          <ActionButton intent="disable" label={t("member.disable")} danger />
        </Form>
      )}
      <div className="space-y-4 border-t border-slate-200 pt-4">
        <p className="text-sm text-slate-600">{t("member.grantNeedsStepUp")}</p>
        {!steppedUp ? (
          <StepUpNotice returnTo={here} what={t("member.stepUpWhat")} />
        ) : (
          <>
            <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="change-role-form">
              <div>
                <label className="label" htmlFor="role">
                  {t("member.newRole")}
                </label>
                <select id="role" name="role" className="input mt-1" defaultValue={member.role}>
                  {ROLES.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
              </div>
              <ReasonField id="role-reason" />
              <ActionButton intent="change-role" label={t("member.changeRole")} />
            </Form>
            {member.disabledAt ? (
              <Form method="post" className="space-y-2" data-testid="enable-form">
                <p className="text-sm text-slate-600">
                  {t("member.enableHelp")} {isPrivilegedRole(member.role) ? t("member.enableNeedsSecondAdmin") : null}
                </p>
                <div className="flex flex-wrap items-end gap-3">
                  <ReasonField id="enable-reason" />
                  <ActionButton intent="enable" label={t("member.enable")} />
                </div>
              </Form>
            ) : (
              <>
                <Form method="post" className="flex flex-wrap items-end gap-3">
                  <ReasonField id="reset-reason" />
                  <ActionButton intent="reset-totp" label={t("member.resetTotp")} danger />
                </Form>
                <Form method="post">
                  <ActionButton intent="reissue-link" label={t("member.reissue")} />
                </Form>
              </>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function Events({ member }: { member: Member }) {
  const { t, i18n } = useTranslation(["admin", "audit"]);
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <section className="card overflow-x-auto p-0">
      <h2 className="px-4 pt-4 font-semibold">{t("member.events")}</h2>
      <p className="px-4 text-sm text-slate-600">{t("member.eventsIntro")}</p>
      <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="security-events">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">{t("member.when")}</th>
            <th className="px-4 py-2">{t("member.event")}</th>
            <th className="px-4 py-2">{t("member.outcome")}</th>
            <th className="px-4 py-2">{t("member.by")}</th>
            <th className="px-4 py-2">{t("member.detail")}</th>
            <th className="px-4 py-2">{t("member.address")}</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {member.events.map((event) => (
            <tr key={event.seq} data-action={event.action} data-outcome={event.outcome}>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatJst(event.occurredAt, language)}</td>
              <td className="px-4 py-2">
                <ActionName code={event.action} />
              </td>
              <td className="px-4 py-2">
                {i18n.exists(`audit:table.outcomes.${event.outcome}`)
                  ? t(`audit:table.outcomes.${event.outcome as "SUCCESS"}`)
                  : event.outcome}
              </td>
              <td className="px-4 py-2 text-xs">
                {event.actorId === member.id
                  ? t("member.them")
                  : event.actorRole === null
                    ? t("member.anonymous")
                    : auditRoleName(event.actorRole, isLanguage(i18n.language) ? i18n.language : undefined)}
              </td>
              <td className="px-4 py-2 text-xs text-slate-700" data-testid="security-event-detail">
                {event.targetType === "route" ? (
                  <code>{event.targetId}</code>
                ) : event.reason !== null ? (
                  <SystemReason text={event.reason} action={event.action} />
                ) : null}
                {/* Why a sign-in failed or a form was refused, named as the audit trail names it (ADR 113). */}
                {event.named.map(({ path, value }) => (
                  <span key={path} className="block">
                    <AuditValue path={path} text={value} />
                  </span>
                ))}
              </td>
              <td className="px-4 py-2 text-xs text-slate-500">{event.ip ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

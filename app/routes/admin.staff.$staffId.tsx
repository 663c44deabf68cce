import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, SerializeFrom } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { hasRecentStepUp, requirePermission, requireStepUp, type StaffContext } from "~/auth/guard.server";
import { inviteUrl } from "~/auth/invite.server";
import { ROLES, type Permission } from "~/auth/permissions";
import { StaffActionSchema } from "~/auth/schemas";
import {
  changeStaffRole,
  disableStaff,
  enableStaff,
  endStaffSessions,
  reissueInvite,
  resetStaffTotp,
  unlockStaff,
} from "~/auth/staff-admin.server";
import { loadStaffDetail } from "~/auth/staff-directory.server";
import { RoleBadge, StatusBadge, StepUpNotice } from "~/auth/ui/staff-badges";
import { env } from "~/env.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { isUuid } from "~/lib/uuid";
import { parseForm } from "~/lib/form.server";

export const permission: Permission = "staff:manage";

export const meta: MetaFunction = () => [{ title: "Staff member · Firebreak" }];

type Member = SerializeFrom<typeof loader>["member"];

// Which changes need a fresh TOTP code: the ones that grant or restore access. Containment (disable, end sessions)
// and unlocking stay one click away during an incident.
const NEEDS_STEP_UP = new Set(["change-role", "enable", "reset-totp", "reissue-link"]);

function notFound(): Response {
  return new Response("There is no such staff member.", { status: 404 });
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const staffId = params.staffId ?? "";
  if (!isUuid(staffId)) throw notFound();
  const member = await loadStaffDetail(staffId);
  if (!member) throw notFound();
  return json({ member, steppedUp: hasRecentStepUp(ctx), isSelf: ctx.staff.id === staffId });
}

async function applyChange(ctx: StaffContext, staffId: string, change: ReturnType<typeof StaffActionSchema.parse>) {
  switch (change.intent) {
    case "change-role":
      await changeStaffRole(ctx, staffId, change.role, change.reason);
      return `Role changed to ${change.role}.`;
    case "disable": {
      const { sessionsEnded } = await disableStaff(ctx, staffId, change.reason);
      return `Account disabled; ${sessionsEnded} session(s) ended.`;
    }
    case "enable":
      await enableStaff(ctx, staffId, change.reason);
      return "Account enabled.";
    case "end-sessions": {
      const { sessionsEnded } = await endStaffSessions(ctx, staffId);
      return `${sessionsEnded} session(s) ended.`;
    }
    case "reset-totp":
      await resetStaffTotp(ctx, staffId, change.reason);
      return "Authenticator reset: they will set up a new one at their next sign-in.";
    case "unlock":
      await unlockStaff(ctx, staffId);
      return "Account unlocked.";
    case "reissue-link":
      return null; // handled by the caller: it returns a link, shown once
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const staffId = params.staffId ?? "";
  if (!isUuid(staffId)) throw notFound();
  const submission = await parseForm(request, StaffActionSchema, ctx.staff.language);
  if (submission.status !== "success") {
    return json({ error: "Fill in the form completely (a reason is required).", link: null }, { status: 400 });
  }
  const change = submission.value;
  if (NEEDS_STEP_UP.has(change.intent)) requireStepUp(request, ctx);
  try {
    if (change.intent === "reissue-link") {
      const invite = await reissueInvite(ctx, staffId);
      const baseUrl = env().PUBLIC_BASE_URL ?? new URL(request.url).origin;
      return json({ error: null, link: { url: inviteUrl(baseUrl, invite.token), expiresAt: invite.expiresAt } });
    }
    const message = await applyChange(ctx, staffId, change);
    return redirectWithToast(`/admin/staff/${staffId}`, { kind: "success", message: message ?? "Done." });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json({ error: error.message, link: null }, { status: error.status });
  }
}

export default function StaffMember() {
  const { member, steppedUp, isSelf } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const here = `/admin/staff/${member.id}`;
  return (
    <div className="space-y-6">
      <div>
        <Link to="/admin/staff" className="text-sm text-slate-600 underline">
          ← All staff
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
      {actionData?.link ? (
        <section className="card space-y-2" data-testid="invite-link-panel">
          <h2 className="font-semibold">New one-time link</h2>
          <p className="text-sm text-slate-600">
            Send it to {member.email} over a channel you trust. It works once, until{" "}
            {formatJst(actionData.link.expiresAt)}; any earlier link no longer works.
          </p>
          <code className="block select-all break-all rounded bg-slate-100 px-3 py-2 text-sm" data-testid="invite-link">
            {actionData.link.url}
          </code>
        </section>
      ) : null}
      <Facts member={member} />
      {isSelf ? (
        <p className="card text-sm text-slate-600">
          This is your own account. Another admin changes your role, disables you or resets your authenticator.
        </p>
      ) : (
        <Actions member={member} steppedUp={steppedUp} here={here} />
      )}
      <Events member={member} />
    </div>
  );
}

function Facts({ member }: { member: Member }) {
  const rows: [string, string][] = [
    ["Created", formatJst(member.createdAt)],
    ["Authenticator", member.totpEnrolledAt ? `set up ${formatJst(member.totpEnrolledAt)}` : "not set up"],
    ["Recovery codes left", String(member.recoveryCodesLeft)],
    ["Consecutive wrong passwords", String(member.failedPasswordCount)],
    ["Locked until", formatJst(member.lockedUntil)],
    ["Second step blocked until", formatJst(member.secondStepBlockedUntil)],
    [
      "Pending one-time link",
      member.pendingInviteExpiresAt ? `valid until ${formatJst(member.pendingInviteExpiresAt)}` : "none",
    ],
    ["Disabled", formatJst(member.disabledAt)],
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
        <h2 className="font-semibold">Active sessions ({member.sessions.length})</h2>
        <ul className="mt-2 space-y-1" data-testid="session-list">
          {member.sessions.map((s, index) => (
            <li key={index} className="text-slate-700">
              {s.stage === "FULL" ? "Signed in" : "Password only"} since {formatJst(s.createdAt)} · last seen{" "}
              {formatJst(s.lastSeenAt)} · {s.ip ?? "unknown address"}
            </li>
          ))}
          {member.sessions.length === 0 ? <li className="text-slate-500">None.</li> : null}
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
  return (
    <div className="flex-1">
      <label className="label" htmlFor={id}>
        Reason (for the audit trail)
      </label>
      <input id={id} name="reason" className="input mt-1" required minLength={3} maxLength={500} />
    </div>
  );
}

function Actions({ member, steppedUp, here }: { member: Member; steppedUp: boolean; here: string }) {
  return (
    <section className="card space-y-6">
      <h2 className="font-semibold">Manage access</h2>
      <div className="flex flex-wrap gap-3">
        <Form method="post">
          <ActionButton intent="end-sessions" label="End all sessions" />
        </Form>
        {member.lockedUntil || member.secondStepBlockedUntil ? (
          <Form method="post">
            <ActionButton intent="unlock" label="Unlock" />
          </Form>
        ) : null}
      </div>
      {member.disabledAt ? null : (
        <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="disable-form">
          <ReasonField id="disable-reason" />
          <ActionButton intent="disable" label="Disable account" danger />
        </Form>
      )}
      <div className="space-y-4 border-t border-slate-200 pt-4">
        <p className="text-sm text-slate-600">Changes that grant or restore access need a fresh authenticator code.</p>
        {!steppedUp ? (
          <StepUpNotice
            returnTo={here}
            what="Changing a role, re-enabling, resetting an authenticator or sending a new link"
          />
        ) : (
          <>
            <Form method="post" className="flex flex-wrap items-end gap-3" data-testid="change-role-form">
              <div>
                <label className="label" htmlFor="role">
                  New role
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
              <ActionButton intent="change-role" label="Change role" />
            </Form>
            {member.disabledAt ? (
              <Form method="post" className="flex flex-wrap items-end gap-3">
                <ReasonField id="enable-reason" />
                <ActionButton intent="enable" label="Enable account" />
              </Form>
            ) : (
              <>
                <Form method="post" className="flex flex-wrap items-end gap-3">
                  <ReasonField id="reset-reason" />
                  <ActionButton intent="reset-totp" label="Reset authenticator" danger />
                </Form>
                <Form method="post">
                  <ActionButton intent="reissue-link" label="Send a new one-time link (new password)" />
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
  return (
    <section className="card overflow-x-auto p-0">
      <h2 className="px-4 pt-4 font-semibold">Recent security events</h2>
      <p className="px-4 text-sm text-slate-600">Sign-ins, failures, denied pages and changes to this account.</p>
      <table className="mt-2 min-w-full divide-y divide-slate-200 text-sm" data-testid="security-events">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-2">When</th>
            <th className="px-4 py-2">Event</th>
            <th className="px-4 py-2">Outcome</th>
            <th className="px-4 py-2">By</th>
            <th className="px-4 py-2">Detail</th>
            <th className="px-4 py-2">Address</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {member.events.map((event) => (
            <tr key={event.seq} data-action={event.action} data-outcome={event.outcome}>
              <td className="whitespace-nowrap px-4 py-2 text-slate-600">{formatJst(event.occurredAt)}</td>
              <td className="px-4 py-2 font-mono text-xs">{event.action}</td>
              <td className="px-4 py-2">{event.outcome}</td>
              <td className="px-4 py-2 text-xs">
                {event.actorId === member.id ? "them" : (event.actorRole ?? "anonymous")}
              </td>
              <td className="px-4 py-2 text-xs text-slate-700">
                {event.targetType === "route" ? event.targetId : (event.reason ?? "")}
              </td>
              <td className="px-4 py-2 text-xs text-slate-500">{event.ip ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

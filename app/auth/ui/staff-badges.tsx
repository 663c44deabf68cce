import { useTranslation } from "react-i18next";
import { ROLES, type Role } from "~/auth/permissions";
import type { StaffStatus } from "~/auth/staff-directory.server";

const STATUS_STYLES: Record<StaffStatus, string> = {
  active: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  invited: "bg-sky-50 text-sky-800 ring-sky-200",
  enrolling: "bg-amber-50 text-amber-800 ring-amber-200",
  locked: "bg-red-50 text-red-800 ring-red-200",
  disabled: "bg-slate-100 text-slate-600 ring-slate-300",
};

export function StatusBadge({ status }: { status: StaffStatus }) {
  const { t } = useTranslation("admin");
  return (
    <span className={`inline-flex rounded px-2 py-0.5 text-xs font-medium ring-1 ${STATUS_STYLES[status]}`}>
      {t(`status.${status}`)}
    </span>
  );
}

/** A role by its name in the reader's language; a stored value that is no role the console knows, as it is. */
export function useRoleName(): (role: string) => string {
  const { t } = useTranslation("common");
  return (role) => (ROLES.includes(role as Role) ? t(`role.${role as Role}`) : role);
}

export function RoleBadge({ role }: { role: string }) {
  const roleName = useRoleName();
  return (
    <span className="rounded bg-slate-800 px-1.5 py-0.5 text-xs font-medium text-white" data-role={role}>
      {roleName(role)}
    </span>
  );
}

/** Shown where a sensitive form would be when the step-up has expired: one click to confirm, then back here. */
export function StepUpNotice({ returnTo, what }: { returnTo: string; what: string }) {
  const { t } = useTranslation("auth");
  return (
    <div
      className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200"
      data-testid="step-up-notice"
    >
      {t("stepUp.needed", { what })}{" "}
      <a className="font-semibold underline" href={`/step-up?redirectTo=${encodeURIComponent(returnTo)}`}>
        {t("stepUp.confirm")}
      </a>
    </div>
  );
}

import { Form, NavLink } from "@remix-run/react";
import type { Permission } from "~/auth/permissions";

interface ShellStaff {
  displayName: string;
  email: string;
  role: string;
  permissions: string[];
}

interface EngagedSwitch {
  key: string;
  label: string;
}

// Navigation per capability; an entry shows only to roles that hold its permission (the server checks again). Each
// entry's permission is its page's own (tests/unit/navigation-permissions.test.ts): whoever may open a page sees it.
export const NAVIGATION: { to: string; label: string; permission: Permission }[] = [
  { to: "/", label: "Incident", permission: "console:view" },
  { to: "/accounts", label: "Accounts", permission: "accounts:search" },
  { to: "/incidents", label: "Cases", permission: "incidents:view" },
  { to: "/cohorts", label: "Cohorts", permission: "incidents:view" },
  { to: "/kill-switches", label: "Kill switches", permission: "killswitch:view" },
  { to: "/approvals", label: "Approvals", permission: "approvals:decide" },
  { to: "/jobs", label: "Bulk jobs", permission: "bulk:run" },
  { to: "/notifications", label: "Notifications", permission: "notify:send" },
  { to: "/audit", label: "Audit trail", permission: "audit:view" },
  { to: "/admin/staff", label: "Staff", permission: "staff:manage" },
  { to: "/admin/service-tokens", label: "Service tokens", permission: "service-tokens:manage" },
];

export function AppShell({
  staff,
  engagedSwitches,
  children,
}: {
  staff: ShellStaff | null;
  engagedSwitches: EngagedSwitch[];
  children: React.ReactNode;
}) {
  if (!staff) {
    return <main className="mx-auto flex min-h-full max-w-md flex-col justify-center p-6">{children}</main>;
  }
  const links = NAVIGATION.filter((item) => staff.permissions.includes(item.permission));
  return (
    <div className="min-h-full">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-6 px-4 py-3">
          <div className="flex items-center gap-6">
            <span className="text-lg font-bold tracking-tight">Firebreak</span>
            <nav aria-label="Main" className="flex flex-wrap gap-1 text-sm">
              {links.map((item) => (
                <NavLink
                  key={item.to}
                  to={item.to}
                  end={item.to === "/"}
                  className={({ isActive }) =>
                    `rounded px-2 py-1 ${isActive ? "bg-slate-700 text-white" : "text-slate-300 hover:text-white"}`
                  }
                >
                  {item.label}
                </NavLink>
              ))}
            </nav>
          </div>
          <div className="flex items-center gap-3 text-sm">
            <span>
              {staff.displayName} <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs">{staff.role}</span>
            </span>
            <Form method="post" action="/sign-out">
              <button type="submit" className="text-slate-300 underline hover:text-white">
                Sign out
              </button>
            </Form>
          </div>
        </div>
      </header>
      {engagedSwitches.length > 0 ? (
        <div
          role="alert"
          data-testid="kill-switch-banner"
          className="bg-red-700 px-4 py-2 text-center text-sm font-semibold text-white"
        >
          Kill switch engaged: {engagedSwitches.map((s) => s.label).join(", ")}.{" "}
          <a className="underline" href="/kill-switches">
            See the switch board
          </a>
        </div>
      ) : null}
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}

import { Form, Link, useLocation } from "@remix-run/react";
import type { ParseKeys } from "i18next";
import { useTranslation } from "react-i18next";
import type { Permission, Role } from "~/auth/permissions";
import { AlertBanner } from "~/detect/ui/alert-banner";
import { LanguageSwitch } from "~/i18n/language-switch";
import { useSwitchNames } from "~/killswitch/ui/switch-names";

interface ShellStaff {
  displayName: string;
  role: string;
  permissions: string[];
}

interface EngagedSwitch {
  key: string;
  label: string;
}

// Navigation per capability; an entry shows only to roles that hold its permission (the server checks again). Each
// entry's permission is its page's own (tests/unit/navigation-permissions.test.ts): whoever may open a page sees it.
export const NAVIGATION: { to: string; label: ParseKeys<"common">; permission: Permission }[] = [
  { to: "/", label: "nav.incident", permission: "console:view" },
  { to: "/accounts", label: "nav.accounts", permission: "accounts:search" },
  { to: "/incidents", label: "nav.incidents", permission: "incidents:view" },
  { to: "/alerts", label: "nav.alerts", permission: "alerts:view" },
  { to: "/policies", label: "nav.policies", permission: "alerts:view" },
  { to: "/cohorts", label: "nav.cohorts", permission: "incidents:view" },
  { to: "/kill-switches", label: "nav.killSwitches", permission: "killswitch:view" },
  { to: "/approvals", label: "nav.approvals", permission: "approvals:decide" },
  { to: "/rules", label: "nav.riskRules", permission: "risk:view" },
  { to: "/reviews", label: "nav.riskReviews", permission: "risk:review" },
  { to: "/jobs", label: "nav.jobs", permission: "bulk:run" },
  { to: "/notifications", label: "nav.notifications", permission: "notify:send" },
  { to: "/audit", label: "nav.audit", permission: "audit:view" },
  { to: "/admin/staff", label: "nav.staff", permission: "staff:manage" },
  { to: "/admin/service-tokens", label: "nav.serviceTokens", permission: "service-tokens:manage" },
];

/**
 * Whether the page at `pathname` is in the navigation entry `to`'s section, as NavLink decides it (case-insensitive;
 * "/" only for itself, any other entry for its own path and the paths below it). The menu works it out here from one
 * location instead of through a NavLink per entry: each NavLink resolved its path and read the router's state again,
 * a dozen times on every page (ADR 082).
 */
export function isCurrentSection(pathname: string, to: string): boolean {
  const here = pathname.toLowerCase();
  const section = to.toLowerCase();
  if (here === section) return true;
  return section !== "/" && here.startsWith(section) && here.charAt(section.length) === "/";
}

export function AppShell({
  staff,
  engagedSwitches,
  children,
}: {
  staff: ShellStaff | null;
  engagedSwitches: EngagedSwitch[];
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  const location = useLocation();
  const switchNames = useSwitchNames();
  if (!staff) {
    return <main className="mx-auto flex min-h-full max-w-md flex-col justify-center p-6">{children}</main>;
  }
  const links = NAVIGATION.filter((item) => staff.permissions.includes(item.permission));
  return (
    <div className="min-h-full">
      {/* The first Tab stop on every page: past the language switch, sign-out and a dozen menu entries to the page
          itself, for someone on the keyboard alone. Hidden until it has the focus. */}
      <a
        href="#main"
        className="sr-only rounded bg-white px-3 py-2 text-sm font-semibold text-slate-900 focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
      >
        {t("skipToMain")}
      </a>
      <header className="bg-slate-900 text-white">
        {/* Two rows: who is signed in above, the navigation below on a row of its own. With every capability a lead
            holds (thirteen entries) the links need the full width: they stay on one line at 1366 px in both
            languages, and a narrower window wraps them onto a second line. (A row that scrolled sideways hid the
            last entries, the audit trail among them, at 1,024 px behind a scroll bar the browser does not show.) */}
        <div className="mx-auto flex max-w-screen-2xl items-center justify-between gap-4 px-4 pt-2">
          <span className="text-lg font-bold tracking-tight">Firebreak</span>
          <div className="flex shrink-0 items-center gap-2 text-sm">
            <span className="whitespace-nowrap">
              {staff.displayName}{" "}
              <span className="rounded bg-slate-700 px-1.5 py-0.5 text-xs" data-role={staff.role}>
                {t(`role.${staff.role as Role}`)}
              </span>
            </span>
            <LanguageSwitch returnTo={location.pathname + location.search} />
            <Form method="post" action="/sign-out">
              <button type="submit" className="text-slate-300 underline hover:text-white">
                {t("signOut")}
              </button>
            </Form>
          </div>
        </div>
        <nav
          aria-label={t("nav.label")}
          className="mx-auto flex max-w-screen-2xl flex-wrap gap-0.5 px-3 pb-2 pt-1 text-sm"
        >
          {links.map((item) => {
            const active = isCurrentSection(location.pathname, item.to);
            return (
              <Link
                key={item.to}
                to={item.to}
                aria-current={active ? "page" : undefined}
                className={`whitespace-nowrap rounded px-1.5 py-1 ${active ? "bg-slate-700 text-white" : "text-slate-300 hover:text-white"}`}
              >
                {t(item.label)}
              </Link>
            );
          })}
        </nav>
      </header>
      {engagedSwitches.length > 0 ? (
        <div
          role="alert"
          data-testid="kill-switch-banner"
          className="bg-red-700 px-4 py-2 text-center text-sm font-semibold text-white"
        >
          {t("banner.engaged", {
            labels: engagedSwitches.map((s) => switchNames(s.key, s).label).join(t("listSeparator")),
          })}{" "}
          <a className="underline" href="/kill-switches">
            {t("banner.seeBoard")}
          </a>
        </div>
      ) : null}
      {staff.permissions.includes("alerts:view") ? <AlertBanner /> : null}
      <main id="main" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-6 outline-none">
        {children}
      </main>
    </div>
  );
}

import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { clearRecoveryCodesCookie, readRecoveryCodes } from "~/auth/recovery-codes-flash.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { AuthPanel } from "~/auth/ui/auth-panel";
import { pageTitle } from "~/i18n/fixed-t";

// The last page of enrollment, seen with the new full session; every role may see its own codes.
export const permission: Permission = "console:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "auth:recoveryCodes.pageTitle") }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const codes = readRecoveryCodes(request, ctx.session.id);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  // Reading clears the one-time cookie: the codes are shown once and never again (no domain state is written).
  return data({ codes, redirectTo }, { headers: { "Set-Cookie": clearRecoveryCodesCookie() } });
}

export default function RecoveryCodesPage() {
  const { codes, redirectTo } = useLoaderData<typeof loader>();
  const { t } = useTranslation("auth");
  if (!codes) {
    return (
      <AuthPanel title={t("recoveryCodes.goneTitle")}>
        <p className="text-sm text-slate-700">{t("recoveryCodes.gone")}</p>
        <Link className="btn-primary mt-4 w-full" to={redirectTo}>
          {t("recoveryCodes.continue")}
        </Link>
      </AuthPanel>
    );
  }
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(
    `${t("recoveryCodes.fileHeading")}\n\n${codes.join("\n")}\n`,
  )}`;
  return (
    <AuthPanel title={t("recoveryCodes.title")} description={t("recoveryCodes.description")}>
      <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-slate-100 px-2 py-1 text-center">
            {code}
          </li>
        ))}
      </ul>
      <div className="mt-6 flex flex-col gap-3">
        <a className="btn-secondary" href={download} download="firebreak-recovery-codes.txt">
          {t("recoveryCodes.download")}
        </a>
        <Link className="btn-primary" to={redirectTo}>
          {t("recoveryCodes.saved")}
        </Link>
      </div>
    </AuthPanel>
  );
}

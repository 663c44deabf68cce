import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { clearRecoveryCodesCookie, readRecoveryCodes } from "~/auth/recovery-codes-flash.server";
import { safeRedirect } from "~/auth/safe-redirect";
import { AuthPanel } from "~/auth/ui/auth-panel";

// The last page of enrollment, seen with the new full session; every role may see its own codes.
export const permission: Permission = "console:view";

export const meta: MetaFunction = () => [{ title: "Your recovery codes · Firebreak" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const codes = readRecoveryCodes(request, ctx.session.id);
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  // Reading clears the one-time cookie: the codes are shown once and never again (no domain state is written).
  return json({ codes, redirectTo }, { headers: { "Set-Cookie": clearRecoveryCodesCookie() } });
}

export default function RecoveryCodesPage() {
  const { codes, redirectTo } = useLoaderData<typeof loader>();
  if (!codes) {
    return (
      <AuthPanel title="Recovery codes">
        <p className="text-sm text-slate-700">
          Recovery codes are shown only once, right after you set up your authenticator. If you did not save them, ask
          an admin to reset your authenticator and enrol again.
        </p>
        <Link className="btn-primary mt-4 w-full" to={redirectTo}>
          Continue to the console
        </Link>
      </AuthPanel>
    );
  }
  const download = `data:text/plain;charset=utf-8,${encodeURIComponent(
    `Firebreak recovery codes (each works once)\n\n${codes.join("\n")}\n`,
  )}`;
  return (
    <AuthPanel
      title="Save your recovery codes"
      description="If you lose your phone, each of these codes signs you in once. They are shown only now: keep them in your password manager or print them."
    >
      <ul className="grid grid-cols-2 gap-2 font-mono text-sm" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code} className="rounded bg-slate-100 px-2 py-1 text-center">
            {code}
          </li>
        ))}
      </ul>
      <div className="mt-6 flex flex-col gap-3">
        <a className="btn-secondary" href={download} download="firebreak-recovery-codes.txt">
          Download as a text file
        </a>
        <Link className="btn-primary" to={redirectTo}>
          I have saved them — continue to the console
        </Link>
      </div>
    </AuthPanel>
  );
}

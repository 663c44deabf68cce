import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { recordAuditAccess } from "~/audit/audit-access.server";
import { checkCheckpointSignature } from "~/audit/checkpoint.server";
import { signCheckpointNow } from "~/audit/checkpoint-service.server";
import { listRecentCheckpoints, readAuditHeadSeq, verifyAuditTrailOnConsole } from "~/audit/console-reads.server";
import { VerificationResult } from "~/audit/components/verification-result";
import { AuditKeyError, loadTrustedKeys, tryLoadAuditSigningKey } from "~/audit/signing-key.server";
import { requirePermission } from "~/auth/guard.server";
import { env } from "~/env.server";
import type { Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount, formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";

// Verifying the chain and signing checkpoints: COMPLIANCE and SECURITY_LEAD.
export const permission: Permission = "audit:verify";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "audit:integrity.pageTitle") }];

const RECENT_CHECKPOINTS = 20;

const IntegrityActionSchema = z.object({ intent: z.enum(["verify", "checkpoint"]) });

function trustedKeysOrError() {
  try {
    return { trusted: loadTrustedKeys(), error: null };
  } catch (error) {
    if (error instanceof AuditKeyError) return { trusted: new Map(), error: error.message };
    throw error;
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, permission);
  const { key, error: keyError } = tryLoadAuditSigningKey();
  const { trusted, error: trustError } = trustedKeysOrError();
  const checkpoints = await listRecentCheckpoints(RECENT_CHECKPOINTS);
  const head = await readAuditHeadSeq();
  return {
    key: key
      ? {
          keyId: key.keyId,
          fingerprint: key.fingerprint,
          publicKeyPem: key.publicKeyPem,
          source: key.source === "environment" ? ("environment" as const) : ("file" as const),
        }
      : null,
    keyError: keyError ?? trustError,
    head: head?.toString() ?? null,
    checkpoints: checkpoints.map((cp) => ({ ...cp, status: checkCheckpointSignature(cp, trusted) })),
    // What the checkpoint worker reads too (checkpoint-worker.server.ts): the page states the cadence in force.
    intervalSeconds: env().FIREBREAK_AUDIT_CHECKPOINT_INTERVAL_MS / 1000,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "audit");
  const submission = await parseForm(request, IntegrityActionSchema, ctx.staff.language);
  if (submission.status !== "success") {
    return data({ error: t("integrity.unknownAction"), verification: null }, { status: 400 });
  }
  if (submission.value.intent === "checkpoint") {
    try {
      const outcome = await signCheckpointNow(ctx);
      const message =
        outcome.status === "empty"
          ? t("integrity.emptyTrail")
          : outcome.status === "unchanged"
            ? t("integrity.alreadyCovered", { seq: outcome.checkpoint.seq, id: outcome.checkpoint.id })
            : t("integrity.signed", { seq: outcome.checkpoint.seq, id: outcome.checkpoint.id });
      return redirectWithToast("/audit/integrity", { kind: "success", message });
    } catch (error) {
      if (!isDomainError(error)) throw error;
      return data(
        { error: translateDomainError(ctx.staff.language, error), verification: null },
        { status: error.status },
      );
    }
  }

  const { trusted, error } = trustedKeysOrError();
  if (error) return data({ error, verification: null }, { status: 503 });
  const verification = await verifyAuditTrailOnConsole({ trusted });
  await recordAuditAccess(ctx, {
    action: "audit.verify",
    outcome: verification.ok ? "SUCCESS" : "FAILED",
    details: {
      ok: verification.ok,
      rowsChecked: verification.chain.rowsChecked,
      headSeq: verification.chain.headSeq,
      firstBad: verification.firstBad,
      checkpoints: { total: verification.checkpoints.total, valid: verification.checkpoints.valid },
    },
  });
  return { error: null, verification };
}

export default function AuditIntegrity() {
  const { key, keyError, head, checkpoints, intervalSeconds } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const { t, i18n } = useTranslation("audit");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  return (
    <div className="space-y-6">
      <div>
        <Link to="/audit" className="text-sm underline">
          {t("integrity.back")}
        </Link>
        <h1 className="text-2xl font-bold">{t("integrity.title")}</h1>
        <p className="text-sm text-slate-600">
          {t("integrity.intro", { seconds: formatCount(intervalSeconds, language) })}
        </p>
      </div>

      <section className="card flex flex-wrap items-center gap-3">
        <Form method="post">
          <button className="btn-primary" type="submit" name="intent" value="verify" disabled={busy !== null}>
            {busy === "verify" ? t("integrity.verifying") : t("integrity.verify")}
          </button>
        </Form>
        <Form method="post">
          <button className="btn-secondary" type="submit" name="intent" value="checkpoint" disabled={busy !== null}>
            {busy === "checkpoint" ? t("integrity.signing") : t("integrity.sign")}
          </button>
        </Form>
        <p className="text-sm text-slate-600">
          {t("integrity.newestRow", {
            row: head ? formatCount(Number(head), language) : t("integrity.noneYet"),
          })}
        </p>
      </section>

      {actionData?.error ? (
        <p role="alert" className="card bg-red-50 text-red-900 ring-red-200">
          {actionData.error}
        </p>
      ) : null}
      {actionData?.verification ? <VerificationResult result={actionData.verification} /> : null}

      <section className="card space-y-2" aria-labelledby="key-heading">
        <h2 id="key-heading" className="font-semibold">
          {t("integrity.publicKey")}
        </h2>
        {key ? (
          <>
            <p className="text-sm text-slate-600">
              <Trans
                t={t}
                i18nKey={key.source === "environment" ? "integrity.keyFromEnvironment" : "integrity.keyFromFile"}
                values={{ keyId: key.keyId, fingerprint: key.fingerprint }}
                components={{ code: <code />, fingerprint: <code className="break-all" /> }}
              />
            </p>
            <pre className="overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100" data-testid="public-key">
              {key.publicKeyPem}
            </pre>
            <a className="btn-secondary" href="/audit/public-key.pem" download>
              {t("integrity.downloadKey")}
            </a>
            <p className="text-sm text-slate-600">{t("integrity.verifyOffline")}</p>
            <pre className="overflow-x-auto rounded bg-slate-100 p-3 text-xs">
              {`npx tsx scripts/audit-verify-export.ts firebreak-audit-through-N.jsonl \\
    --public-key firebreak-audit-public-key.pem
npx tsx scripts/audit-verify-export.ts firebreak-audit-through-N.csv \\
    --manifest firebreak-audit-through-N.csv.manifest.json --public-key firebreak-audit-public-key.pem`}
            </pre>
          </>
        ) : null}
        {keyError ? (
          <div role="alert" className="space-y-1 text-sm text-red-900">
            <p>{t("integrity.keyProblem")}</p>
            {/* The operator's detail names settings and files, which an operator needs as written. */}
            <code className="block break-all text-xs">{keyError}</code>
          </div>
        ) : null}
      </section>

      <section className="card space-y-2" aria-labelledby="checkpoints-heading">
        <h2 id="checkpoints-heading" className="font-semibold">
          {t("integrity.checkpoints")}
        </h2>
        {checkpoints.length === 0 ? (
          <p className="text-sm text-slate-600">{t("integrity.noCheckpoints")}</p>
        ) : (
          <table className="min-w-full text-left text-sm" data-testid="checkpoints">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-1 pr-3">#</th>
                <th className="py-1 pr-3">{t("integrity.row")}</th>
                <th className="py-1 pr-3">{t("integrity.signedAt")}</th>
                <th className="py-1 pr-3">{t("integrity.by")}</th>
                <th className="py-1 pr-3">{t("integrity.key")}</th>
                <th className="py-1">{t("integrity.signature")}</th>
              </tr>
            </thead>
            <tbody>
              {checkpoints.map((cp) => (
                <tr key={cp.id} className="border-t border-slate-100">
                  <td className="py-1 pr-3 font-mono">{cp.id}</td>
                  <td className="py-1 pr-3 font-mono">{cp.seq}</td>
                  <td className="py-1 pr-3">{formatJst(cp.signedAt, language)}</td>
                  <td className="py-1 pr-3 text-xs">
                    <SignedBy createdBy={cp.createdBy} />
                  </td>
                  <td className="py-1 pr-3 font-mono text-xs">{cp.keyId}</td>
                  <td
                    className={`py-1 text-xs font-semibold ${cp.status === "valid" ? "text-emerald-800" : "text-red-800"}`}
                  >
                    {t(`integrity.status.${cp.status}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

// Who signed a checkpoint, as the row stores it: the schedule, the command line, or a staff member (`staff:<id>`).
function SignedBy({ createdBy }: { createdBy: string }) {
  const { t } = useTranslation("audit");
  const [kind, id] = createdBy.split(":", 2);
  if (kind === "schedule" || kind === "cli" || kind === "system") return <>{t(`integrity.signedBy.${kind}`)}</>;
  if (kind === "staff" && id) {
    return (
      <>
        {t("integrity.signedBy.staff")} <code className="break-all">{id}</code>
      </>
    );
  }
  return <code>{createdBy}</code>;
}

// Containment policies: propose one, approve another lead's proposal, disable. Each shows how many times it would
// have fired in the ordinary weeks of the recorded history.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requirePermission, requireStepUp } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { DETECTORS, SEVERITIES, type Severity } from "~/detect/definitions";
import { listKillSwitchKeys } from "~/detect/kill-switch-keys.server";
import { ordinaryHistory, wouldHaveFired } from "~/detect/policy-history.server";
import { policyWaveTables } from "~/detect/policy-waves.server";
import { PolicyWaveTable } from "~/detect/ui/policy-waves";
import { approvePolicy, disablePolicy, listPolicies, proposePolicy } from "~/detect/policies.server";
import { ProposePolicySchema } from "~/detect/policy-schema";
import type { Language } from "~/i18n/config";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatJst } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { parseForm } from "~/lib/form.server";
import { revalidateAfterRefusal } from "~/lib/revalidate-after-refusal";

export const permission: Permission = "alerts:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "detect:policies.title") }];

const PolicyActionSchema = z.discriminatedUnion("intent", [
  ProposePolicySchema.extend({ intent: z.literal("propose") }),
  z.object({ intent: z.literal("approve"), policyId: z.string().uuid() }),
  z.object({ intent: z.literal("disable"), policyId: z.string().uuid() }),
]);

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const policies = await listPolicies();
  // Read from the recording (ADR 102): nothing is computed for a visit.
  const history = ordinaryHistory();
  const switches = await listKillSwitchKeys();
  const live = policies.filter((p) => p.status !== "DISABLED");
  return {
    // Priced from the recorded wave runs (ADR 102): nothing is run for a visit.
    waves: policyWaveTables(
      live.map((p) => ({
        id: p.id,
        detector: p.detector,
        minSeverity: p.minSeverity as Severity,
        switchKey: p.switchKey,
      })),
    ),
    policies: policies.map((p) => ({
      id: p.id,
      detector: p.detector,
      minSeverity: p.minSeverity as Severity,
      switchKey: p.switchKey,
      status: p.status,
      proposedByMe: p.proposedById === ctx.staff.id,
      proposedAt: p.proposedAt.toISOString(),
      approvedAt: p.approvedAt?.toISOString() ?? null,
      firings: p.firings.length,
      firedInOrdinaryWeeks: wouldHaveFired(history, p.detector, p.minSeverity as Severity),
    })),
    history: {
      weeks: history.weeks,
      outdated: history.outdated,
      table: DETECTORS.map((d) => ({
        detector: d.key,
        counts: SEVERITIES.map((s) => wouldHaveFired(history, d.key, s)),
      })),
    },
    switches,
    canManage: roleHasPermission(ctx.staff.role, "policies:manage"),
  };
}

// A refusal may mean another member changed what this page shows: show it as it is now.
export const shouldRevalidate = revalidateAfterRefusal;

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const t = translatorFor(ctx.staff.language, "detect");
  const submission = await parseForm(request, PolicyActionSchema, ctx.staff.language);
  if (submission.status !== "success") return data({ error: t("errors.badRequest") }, { status: 400 });
  try {
    const value = submission.value;
    if (value.intent === "propose") {
      await proposePolicy(ctx, {
        detector: value.detector,
        minSeverity: value.minSeverity,
        switchKey: value.switchKey,
      });
      return redirectWithToast("/policies", { kind: "success", message: t("policies.toast.proposed") });
    }
    if (value.intent === "approve") {
      await approvePolicy(ctx, value.policyId);
      return redirectWithToast("/policies", { kind: "success", message: t("policies.toast.approved") });
    }
    // Without a fresh code the lead re-enters one and comes back here (the spine refuses it anyway).
    await requireStepUp(request, ctx);
    await disablePolicy(ctx, value.policyId);
    return redirectWithToast("/policies", { kind: "success", message: t("policies.toast.disabled") });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ error: translateDomainError(ctx.staff.language, error) }, { status: error.status });
  }
}

export default function Policies() {
  const { policies, history, switches, canManage, waves } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("detect");
  const language = i18n.language as Language;
  const detectorName = (key: string) => t(`detector.${key}` as never, { defaultValue: key });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("policies.title")}</h1>
        <p className="text-sm text-slate-600">{t("policies.intro")}</p>
      </div>
      {actionData && "error" in actionData ? (
        <p role="alert" className="text-sm text-red-700">
          {actionData.error}
        </p>
      ) : null}
      <section className="card">
        {policies.length === 0 ? (
          <p className="text-sm text-slate-600">{t("policies.empty")}</p>
        ) : (
          <table className="min-w-full text-sm">
            <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="py-1 pr-3">{t("column.detector")}</th>
                <th className="py-1 pr-3">{t("policies.column.severity")}</th>
                <th className="py-1 pr-3">{t("policies.column.switch")}</th>
                <th className="py-1 pr-3">{t("policies.column.status")}</th>
                <th className="py-1 pr-3">{t("policies.column.history", { weeks: history.weeks.toFixed(1) })}</th>
                <th className="py-1" />
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {policies.map((p) => (
                <tr key={p.id} data-testid="policy-row">
                  <td className="py-1 pr-3">{detectorName(p.detector)}</td>
                  <td className="py-1 pr-3">{t(`severity.${p.minSeverity}`)}</td>
                  <td className="py-1 pr-3 font-mono">{p.switchKey}</td>
                  <td className="py-1 pr-3">
                    {t(`policies.status.${p.status}`)} · {formatJst(p.approvedAt ?? p.proposedAt, language)}
                  </td>
                  <td className="py-1 pr-3">{p.firedInOrdinaryWeeks ?? <Unknown />}</td>
                  <td className="flex gap-2 py-1">
                    {canManage && p.status === "PROPOSED" && !p.proposedByMe ? (
                      <Form method="post">
                        <input type="hidden" name="policyId" value={p.id} />
                        <button type="submit" name="intent" value="approve" className="btn-primary">
                          {t("policies.action.approve")}
                        </button>
                      </Form>
                    ) : null}
                    {canManage && p.status !== "DISABLED" ? (
                      <Form method="post">
                        <input type="hidden" name="policyId" value={p.id} />
                        <button type="submit" name="intent" value="disable" className="btn-secondary">
                          {t("policies.action.disable")}
                        </button>
                      </Form>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {policies.some((p) => p.status !== "DISABLED") ? (
        <section className="card space-y-4">
          <div>
            <h2 className="text-lg font-semibold">{t("policies.waves.title")}</h2>
            <p className="text-sm text-slate-600">{t("policies.waves.intro")}</p>
          </div>
          {policies.map((p) => {
            const title = t("policies.waves.policy", {
              detector: detectorName(p.detector),
              severity: t(`severity.${p.minSeverity}`),
              switchKey: p.switchKey,
              status: t(`policies.status.${p.status}`),
            });
            const rows = waves[p.id];
            if (rows) return <PolicyWaveTable key={p.id} rows={rows} title={title} />;
            // A disabled policy is not priced; a live one without rows has a detector changed since the recording.
            return p.status === "DISABLED" ? null : (
              <p key={p.id} className="text-sm text-slate-600" role="status">
                {title}: {t("policies.waves.outdated")}
              </p>
            );
          })}
        </section>
      ) : null}
      {canManage ? (
        <section className="card space-y-3">
          <h2 className="text-lg font-semibold">{t("policies.propose")}</h2>
          <Form method="post" className="flex flex-wrap items-end gap-3">
            <label className="text-sm">
              {t("column.detector")}
              <select name="detector" className="input block">
                {history.table.map((row) => (
                  <option key={row.detector} value={row.detector}>
                    {detectorName(row.detector)}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              {t("policies.column.severity")}
              <select name="minSeverity" className="input block" defaultValue="MEDIUM">
                {["LOW", "MEDIUM", "HIGH"].map((s) => (
                  <option key={s} value={s}>
                    {t(`severity.${s as Severity}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              {t("policies.column.switch")}
              <select name="switchKey" className="input block font-mono">
                {switches.map((key) => (
                  <option key={key} value={key}>
                    {key}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" name="intent" value="propose" className="btn-primary">
              {t("policies.action.propose")}
            </button>
          </Form>
        </section>
      ) : null}
      <section className="card">
        <h2 className="text-lg font-semibold">{t("policies.history", { weeks: history.weeks.toFixed(1) })}</h2>
        <table className="min-w-full text-sm">
          <thead className="text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th className="py-1 pr-3">{t("column.detector")}</th>
              {(["LOW", "MEDIUM", "HIGH"] as const).map((s) => (
                <th key={s} className="py-1 pr-3">
                  {t(`severity.${s}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {history.table.map((row) => (
              <tr key={row.detector}>
                <td className="py-1 pr-3">{detectorName(row.detector)}</td>
                {row.counts.map((n, k) => (
                  <td key={k} className="py-1 pr-3">
                    {n ?? <Unknown />}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {history.outdated.length > 0 ? (
          <p className="mt-2 text-sm text-amber-800" role="note" data-testid="history-outdated">
            {t("policies.historyOutdated", { detectors: history.outdated.map(detectorName).join(", ") })}
          </p>
        ) : null}
      </section>
    </div>
  );
}

/** A figure the recording does not have for the detector's current version (explained under the history table). */
function Unknown() {
  const { t } = useTranslation("detect");
  return <span title={t("policies.historyUnknown")}>—</span>;
}

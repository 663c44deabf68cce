// Risk rules: every version, the form a security lead drafts with, and the features a condition can read.
import { parseWithZod } from "@conform-to/zod";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { isLanguage } from "~/i18n/config";
import { IntentButton } from "~/components/intent-button";
import { pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { localizeReply, zodErrorMapFor } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import { formatCount } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { OUTCOMES } from "~/risk/engine";
import { EVENT_KINDS, FEATURES, FUNDING_CHANNELS, NEVER_MINUTES, type FeatureName } from "~/risk/features";
import { draftRule, draftStarterRules } from "~/risk/rules.server";
import { DraftRuleSchema } from "~/risk/schemas";
import { translateRiskError } from "~/risk/translate-error.server";
import { listRules } from "~/risk/views.server";
import { readForm } from "~/lib/form.server";

// A condition in the rules' own language (the same in every console language: it is code, not prose).
const CONDITION_EXAMPLE = 'device_age_hours < 24 and ip_country != "JP"';
export const permission: Permission = "risk:view";

export const meta: MetaFunction = ({ matches }) => [{ title: pageTitle(matches, "risk:title") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  return {
    rules: await listRules(),
    canDraft: roleHasPermission(ctx.staff.role, "risk:draft"),
    // One key per rendering of each form: a double click or a resent post drafts once (ADR 095).
    draftKey: newSubmissionKey(),
    starterKey: newSubmissionKey(),
    features: (Object.keys(FEATURES) as FeatureName[]).map((name) => ({
      name,
      type: FEATURES[name].type,
      kinds: [...FEATURES[name].kinds],
    })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const formData = await readForm(request, ctx.staff.language);
  const t = translatorFor(ctx.staff.language, "risk");
  try {
    if (formData.get("intent") === "starter") {
      const key = z
        .string()
        .uuid()
        .optional()
        .safeParse(formData.get("submissionKey") || undefined);
      if (!key.success) return data({ error: t("validation.reloadForm"), reply: null }, { status: 400 });
      const drafted = await draftStarterRules(ctx, key.data);
      return redirectWithToast("/rules", {
        kind: "success",
        message: t("draft.starterDrafted", { count: drafted.length }),
      });
    }
    const submission = parseWithZod(formData, {
      schema: DraftRuleSchema,
      errorMap: zodErrorMapFor(ctx.staff.language),
    });
    if (submission.status !== "success") {
      return data({ error: null, reply: localizeReply(ctx.staff.language, submission.reply()) }, { status: 400 });
    }
    const rule = await draftRule(ctx, submission.value);
    return redirectWithToast(`/rules/${rule.id}`, {
      kind: "success",
      message: t("draft.drafted", { ruleKey: rule.ruleKey, version: rule.version }),
    });
  } catch (error) {
    // The same rendered form sent again (a double click, a resent post): the page shows what the first post drafted.
    if (error instanceof AlreadySubmittedError) {
      return redirectWithToast(error.outcome ? `/rules/${error.outcome}` : "/rules", {
        kind: "info",
        message: error.outcome ? t("draft.draftedOnce") : translateRiskError(ctx.staff.language, error),
      });
    }
    if (!isDomainError(error)) throw error;
    // A condition that does not parse is the condition field's mistake: shown and focused there, with its column.
    if (error.code === "RULE_CONDITION_INVALID") {
      return data(
        { error: null, reply: null, conditionError: translateRiskError(ctx.staff.language, error) },
        { status: error.status },
      );
    }
    return data({ error: translateRiskError(ctx.staff.language, error), reply: null }, { status: error.status });
  }
}

export default function RiskRules() {
  const { rules, canDraft, features, draftKey, starterKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, i18n } = useTranslation("risk");
  const lang = isLanguage(i18n.language) ? i18n.language : undefined;
  const fieldErrors: Record<string, string[] | null | undefined> = { ...actionData?.reply?.error };
  if (actionData && "conditionError" in actionData) fieldErrors.condition = [actionData.conditionError];
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">{t("title")}</h1>
        <p className="text-sm text-slate-600">{t("intro")}</p>
      </div>
      <section className="card overflow-x-auto">
        {rules.length === 0 ? (
          <p className="text-sm text-slate-600">{t("empty")}</p>
        ) : (
          <table className="min-w-full text-sm" data-testid="risk-rules">
            <thead className="text-left text-slate-500">
              <tr>
                <th className="py-1 pr-4 font-medium">{t("columns.rule")}</th>
                <th className="py-1 pr-4 font-medium">{t("columns.version")}</th>
                <th className="py-1 pr-4 font-medium">{t("columns.status")}</th>
                <th className="py-1 pr-4 font-medium">{t("columns.outcome")}</th>
                <th className="py-1 pr-4 font-medium">{t("columns.channel")}</th>
                <th className="py-1 pr-4 font-medium">{t("columns.eventKind")}</th>
                <th className="py-1 font-medium">{t("columns.condition")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rules.map((r) => (
                <tr key={r.id} data-rule-key={r.ruleKey}>
                  <td className="py-1 pr-4">
                    <Link className="underline" to={`/rules/${r.id}`}>
                      {r.ruleKey}
                    </Link>
                    <div className="text-xs text-slate-500">{r.name}</div>
                  </td>
                  <td className="py-1 pr-4 tabular-nums">v{r.version}</td>
                  <td className="py-1 pr-4" data-testid="rule-status">
                    {t(`status.${r.status}`)}
                  </td>
                  <td className="py-1 pr-4">{t(`outcome.${r.outcome}`)}</td>
                  <td className="py-1 pr-4">{t(`channel.${r.channel ?? "ALL"}`)}</td>
                  <td className="py-1 pr-4">{t(`eventKind.${r.eventKind}`)}</td>
                  <td className="py-1 font-mono text-xs">{r.condition}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {canDraft ? (
        <section className="card space-y-3">
          <h2 className="font-semibold">{t("draft.heading")}</h2>
          {actionData?.error || fieldErrors.submissionKey ? (
            <p role="alert" className="text-sm text-red-700" data-testid="rule-error">
              {actionData?.error ?? fieldErrors.submissionKey?.join(" ")}
            </p>
          ) : null}
          <Form method="post" className="grid gap-3 md:grid-cols-2">
            <input type="hidden" name="submissionKey" value={draftKey} />
            <label className="text-sm">
              {t("draft.ruleKey")}
              <input
                name="ruleKey"
                className="input mt-1 w-full"
                required
                {...invalidProps("ruleKey", fieldErrors.ruleKey)}
              />
              <FieldError field="ruleKey" messages={fieldErrors.ruleKey} />
            </label>
            <label className="text-sm">
              {t("draft.name")}
              <input name="name" className="input mt-1 w-full" required {...invalidProps("name", fieldErrors.name)} />
              <FieldError field="name" messages={fieldErrors.name} />
            </label>
            <label className="text-sm md:col-span-2">
              {t("draft.condition")}
              <textarea
                name="condition"
                rows={3}
                className="input mt-1 w-full font-mono"
                required
                {...invalidProps("condition", fieldErrors.condition)}
              />
              <span className="text-xs text-slate-500">
                {t("draft.conditionHelp")} <code>{CONDITION_EXAMPLE}</code>
              </span>
              <FieldError field="condition" messages={fieldErrors.condition} />
            </label>
            <label className="text-sm">
              {t("draft.outcome")}
              <select name="outcome" className="input mt-1 w-full" defaultValue="HOLD">
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {t(`outcome.${o}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              {t("draft.eventKind")}
              <select name="eventKind" className="input mt-1 w-full" defaultValue="TOP_UP">
                {EVENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`eventKind.${k}`)}
                  </option>
                ))}
              </select>
            </label>
            <label className="text-sm">
              {t("draft.channel")}
              <select
                name="channel"
                className="input mt-1 w-full"
                defaultValue="ALL"
                {...invalidProps("channel", fieldErrors.channel)}
              >
                {(["ALL", ...FUNDING_CHANNELS] as const).map((c) => (
                  <option key={c} value={c}>
                    {t(`channel.${c}`)}
                  </option>
                ))}
              </select>
              <FieldError field="channel" messages={fieldErrors.channel} />
            </label>
            <div className="md:col-span-2">
              <button type="submit" className="btn-primary">
                {t("draft.submit")}
              </button>
            </div>
          </Form>
          <IntentButton intent="starter" submissionKey={starterKey} className="btn-secondary text-sm">
            {t("draft.starter")}
          </IntentButton>
        </section>
      ) : null}

      <section className="card overflow-x-auto">
        <h2 className="font-semibold">{t("features.heading")}</h2>
        <table className="min-w-full text-sm">
          <thead className="text-left text-slate-500">
            <tr>
              <th className="py-1 pr-4 font-medium">{t("features.name")}</th>
              <th className="py-1 pr-4 font-medium">{t("features.type")}</th>
              <th className="py-1 pr-4 font-medium">{t("features.kinds")}</th>
              <th className="py-1 font-medium">{t("features.meaning")}</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {features.map((f) => (
              <tr key={f.name}>
                <td className="py-1 pr-4 font-mono text-xs">
                  <code>{f.name}</code>
                </td>
                <td className="py-1 pr-4">
                  <code>{f.type}</code>
                </td>
                <td className="py-1 pr-4">{f.kinds.map((k) => t(`eventKind.${k}`)).join(", ")}</td>
                <td className="py-1">{t(`featureMeaning.${f.name}`, { never: formatCount(NEVER_MINUTES, lang) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

// The draft form is not built with Conform, so it marks its fields itself the way Conform's do: an invalid field says
// so (aria-invalid, which is also where focus goes after a refused submission) and names its message, so a screen
// reader reads the message with the field.
function invalidProps(field: string, messages?: string[] | null) {
  return messages?.length ? { "aria-invalid": true, "aria-describedby": `draft-${field}-error` } : {};
}

function FieldError({ field, messages }: { field: string; messages?: string[] | null }) {
  if (!messages?.length) return null;
  return (
    <span id={`draft-${field}-error`} className="block text-xs text-red-700">
      {messages.join(" ")}
    </span>
  );
}

// The account view: who the customer is, what happened to the account (one JST timeline), what it holds (the ledger),
// the incident case, and the actions an agent takes from here through the spine — freeze / unfreeze the wallet, mark
// it compromised, add a note, move the case along. Reversals, recovery and notices have their own pages, linked here:
//   /accounts/:id/reverse      /accounts/:id/recovery      /notifications?customerId=…
// Opening this page is itself audited (account.view).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useLanguageName } from "~/i18n/language-name";
import { useTranslation } from "react-i18next";
import { AccountActionSchema } from "~/accounts/account-forms";
import { changeAccountStatus } from "~/accounts/account-status.server";
import { loadAccountView } from "~/accounts/account-view.server";
import { formatPhone } from "~/accounts/masking";
import { addAccountNote } from "~/accounts/notes.server";
import {
  CaseAssignForm,
  CaseOpenForm,
  CaseTransitionForm,
  NoteForm,
  StatusForm,
  type LastResult,
} from "~/accounts/ui/account-forms";
import { ContactChanges, DevicesTable, Empty, Section, SessionsTable, Timeline } from "~/accounts/ui/account-sections";
import { AccountStatusBadge, CaseStatusBadge, RiskScore } from "~/accounts/ui/badges";
import { Pill } from "~/components/pill";
import { usePageLanguage } from "~/accounts/ui/use-page-language";
import { StepUpRequiredError } from "~/audit/perform-action.server";
import { AlreadySubmittedError, newSubmissionKey } from "~/audit/submitted-once.server";
import { requirePermission } from "~/auth/guard.server";
import { roleHasPermission, type Permission } from "~/auth/permissions";
import { fixedT, languageOfMatches, pageTitle } from "~/i18n/fixed-t";
import { translatorFor } from "~/i18n/i18next.server";
import { translateDomainError } from "~/i18n/translate.server";
import { assignCase, openCase, transitionCase } from "~/incidents/cases.server";
import { isDomainError } from "~/lib/domain-error";
import { rethrowForErrorPage } from "~/lib/error-page-response.server";
import { formatCalendarDate, formatJst, formatYen } from "~/lib/format";
import { redirectWithToast } from "~/lib/toast.server";
import { NoticeStatusList } from "~/notify/components/notice-status-list";
import { parseFormData, readForm } from "~/lib/form.server";

export const permission: Permission = "accounts:view";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  if (!data) return [{ title: pageTitle(matches, "accounts:pageTitle") }];
  const language = languageOfMatches(matches);
  const title = fixedT(language, "accounts")("pageTitleOf", { displayId: data.view.customer.displayId });
  return [{ title: `${title} · ${fixedT(language)("appName")}` }];
};

function parseBefore(raw: string | null): Date | undefined {
  if (!raw) return undefined;
  const date = new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const url = new URL(request.url);
  try {
    const view = await loadAccountView(ctx, params.customerId ?? "", {
      before: parseBefore(url.searchParams.get("before")),
      language: ctx.staff.language,
    });
    const role = ctx.staff.role;
    const can = {
      freeze: roleHasPermission(role, "accounts:freeze"),
      annotate: roleHasPermission(role, "accounts:annotate"),
      manageCases: roleHasPermission(role, "cases:manage"),
      reverse: roleHasPermission(role, "ledger:reverse"),
      recover: roleHasPermission(role, "recovery:force-reset"),
      notify: roleHasPermission(role, "notify:send"),
    };
    // One key per form in this rendering (ADR 105, 108): a double click or a resent post writes one note, moves the
    // case or changes the status once. Named like the forms' own formKey, so two different forms never share one.
    const formNames = [
      "status",
      "note",
      "case-open",
      ...view.cases.flatMap((c) => [
        `case-assign-${c.id}`,
        ...c.transitions.map((to) => `case-transition-${c.id}-${to}`),
      ]),
    ];
    const submissionKeys: Record<string, string> = Object.fromEntries(
      formNames.map((name) => [name, newSubmissionKey()]),
    );
    return { view, can, submissionKeys };
  } catch (error) {
    rethrowForErrorPage(error, ctx.staff.language);
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const customerId = params.customerId ?? "";
  const formData = await readForm(request, ctx.staff.language);
  const formKey = String(formData.get("formKey") ?? "").slice(0, 120);
  const language = ctx.staff.language;
  const submission = parseFormData(formData, AccountActionSchema, language);
  if (submission.status !== "success") return data({ formKey, result: submission.reply() }, { status: 400 });
  const t = translatorFor(language, "accounts");
  const here = `/accounts/${customerId}`;
  const input = submission.value;
  try {
    let message: string;
    switch (input.intent) {
      case "status": {
        const { status } = await changeAccountStatus(ctx, {
          customerId,
          change: input.change,
          reason: input.reason,
          incidentId: input.incidentId ?? null,
          submissionKey: input.submissionKey,
        });
        message = t(`toast.status.${status}`);
        break;
      }
      case "note":
        await addAccountNote(ctx, {
          customerId,
          caseId: input.caseId ?? null,
          body: input.body,
          submissionKey: input.submissionKey,
        });
        message = t("toast.noteAdded");
        break;
      case "case-transition": {
        const { status } = await transitionCase(ctx, { ...input, customerId });
        message = t(`toast.caseNow.${status}`);
        break;
      }
      case "case-assign": {
        const { assigneeId } = await assignCase(ctx, {
          caseId: input.caseId,
          assigneeId: input.assigneeId ?? null,
          customerId,
          submissionKey: input.submissionKey,
        });
        message = assigneeId ? t("toast.caseAssigned") : t("toast.caseUnassigned");
        break;
      }
      case "case-open":
        await openCase(ctx, {
          incidentId: input.incidentId,
          customerId,
          reason: input.reason,
          submissionKey: input.submissionKey,
        });
        message = t("toast.caseOpened");
        break;
    }
    return redirectWithToast(here, { kind: "success", message });
  } catch (error) {
    if (error instanceof StepUpRequiredError) {
      // Refused and audited by the spine (unfreeze, restore); the member confirms with a fresh code and comes back.
      return redirect(`/step-up?redirectTo=${encodeURIComponent(here)}`);
    }
    // The same rendered form sent again by the same member: led back here, where the first send's note or case
    // change shows, as the first send was (audited ALREADY_SUBMITTED by the spine).
    if (error instanceof AlreadySubmittedError && error.outcome) {
      return redirectWithToast(here, { kind: "success", message: t("toast.sentOnce") });
    }
    if (!isDomainError(error)) throw error;
    return data(
      { formKey, result: submission.reply({ formErrors: [translateDomainError(language, error)] }) },
      { status: error.status },
    );
  }
}

function ActionLinks({ customerId, can }: { customerId: string; can: Record<string, boolean> }) {
  const { t } = useTranslation("accounts");
  const links = [
    can.reverse ? { to: `/accounts/${customerId}/reverse`, label: t("links.reverse"), testId: "link-reverse" } : null,
    can.recover
      ? { to: `/accounts/${customerId}/recovery`, label: t("links.recovery"), testId: "link-recovery" }
      : null,
    can.notify
      ? { to: `/notifications?customerId=${customerId}`, label: t("links.notify"), testId: "link-notify" }
      : null,
  ].filter((l): l is { to: string; label: string; testId: string } => l !== null);
  if (links.length === 0) return null;
  return (
    <nav className="flex flex-wrap gap-2" aria-label={t("links.label")}>
      {links.map((l) => (
        <Link key={l.to} to={l.to} className="btn-secondary" data-testid={l.testId}>
          {l.label}
        </Link>
      ))}
    </nav>
  );
}

export default function AccountView() {
  const { view, can, submissionKeys } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as { formKey: string; result: LastResult } | undefined;
  const lastResult = (key: string): LastResult => (actionData?.formKey === key ? actionData.result : undefined);
  const { customer } = view;
  const { t, i18n } = useTranslation("accounts");
  const languageName = useLanguageName();
  const language = usePageLanguage();
  const fundingKind = (kind: string) =>
    i18n.exists(`accounts:wallet.fundingKind.${kind}`)
      ? t(`wallet.fundingKind.${kind}` as never)
      : kind.replace("_", " ").toLowerCase();
  const oldest = view.timeline.events.at(-1);
  const olderHref =
    view.timeline.hasMore && oldest ? `/accounts/${customer.id}?${new URLSearchParams({ before: oldest.at })}` : null;

  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <p className="text-sm">
          <Link className="underline" to="/accounts">
            {t("findAnother")}
          </Link>
        </p>
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-bold" data-testid="account-name">
            {customer.name}
          </h1>
          <span className="text-slate-500">{customer.nameKana}</span>
          <span className="font-mono text-sm" data-testid="account-display-id">
            {customer.displayId}
          </span>
          <AccountStatusBadge status={customer.status} />
          {view.cases.map((c) => (
            <CaseStatusBadge key={c.id} status={c.status} />
          ))}
        </div>
        <ActionLinks customerId={customer.id} can={can} />
      </header>

      <div className="grid gap-6 lg:grid-cols-3">
        <Section title={t("profile.title")} testId="profile">
          <dl className="grid grid-cols-3 gap-x-3 gap-y-1 text-sm">
            <dt className="text-slate-500">{t("profile.email")}</dt>
            <dd className="col-span-2 break-all">
              {customer.email} {customer.emailVerified ? null : <Pill tone="amber">{t("profile.unverified")}</Pill>}
            </dd>
            <dt className="text-slate-500">{t("profile.phone")}</dt>
            <dd className="col-span-2">
              {formatPhone(customer.phone)}{" "}
              {customer.phoneVerified ? null : <Pill tone="amber">{t("profile.unverified")}</Pill>}
            </dd>
            <dt className="text-slate-500">{t("profile.born")}</dt>
            <dd className="col-span-2">{formatCalendarDate(customer.birthDate, language)}</dd>
            <dt className="text-slate-500">{t("profile.language")}</dt>
            <dd className="col-span-2">{languageName(customer.preferredLanguage)}</dd>
            <dt className="text-slate-500">{t("profile.since")}</dt>
            <dd className="col-span-2">{formatJst(customer.createdAt, language)}</dd>
            <dt className="text-slate-500">{t("profile.signIn")}</dt>
            <dd className="col-span-2">
              {customer.twoFactorEnrolled ? t("profile.twoStep") : t("profile.passwordOnly")}
              {customer.mustChangePassword ? t("profile.mustChange") : ""}
              {customer.stepUpLockedAt ? (
                <span data-testid="step-up-locked">
                  {t("profile.stepUpLocked", { time: formatJst(customer.stepUpLockedAt, language) })}
                </span>
              ) : null}
            </dd>
          </dl>
        </Section>

        <Section title={t("wallet.title")} testId="wallet">
          {view.balance ? (
            <div>
              <p className="text-3xl font-semibold" data-testid="balance">
                {formatYen(view.balance.fromEntries, language)}
              </p>
              <p className="text-xs text-slate-500">
                {view.balance.consistent ? (
                  t("wallet.consistent")
                ) : (
                  <span className="font-semibold text-red-700" data-testid="balance-mismatch">
                    {t("wallet.mismatch", { cached: formatYen(view.balance.cached, language) })}
                  </span>
                )}
              </p>
            </div>
          ) : (
            <Empty>{t("wallet.none")}</Empty>
          )}
          {view.fundingSources.length > 0 ? (
            <ul className="text-sm">
              {view.fundingSources.map((f, k) => (
                <li key={k}>
                  {fundingKind(f.kind)}: {f.brand}
                  {f.last4 ? ` ••${f.last4}` : ""}{" "}
                  <span className="text-xs text-slate-500">
                    {t("wallet.since", { at: formatJst(f.addedAt, language) })}
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {can.freeze ? (
            <StatusForm
              changes={view.statusChanges}
              reopenWaitsForReset={view.reopenWaitsForReset}
              submissionKey={submissionKeys.status}
              lastResult={lastResult("status")}
            />
          ) : null}
        </Section>

        <Section title={t("cases.title")} testId="cases">
          {view.cases.length === 0 ? <Empty>{t("cases.none")}</Empty> : null}
          {view.cases.map((c) => (
            <div
              key={c.id}
              className="space-y-2 border-t border-slate-100 pt-2 first:border-0 first:pt-0"
              data-testid="case"
            >
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <span className="font-medium">{c.incidentCode}</span>
                <CaseStatusBadge status={c.status} />
                <span className="text-xs text-slate-500">
                  {t("cases.opened", { at: formatJst(c.openedAt, language) })}
                </span>
              </div>
              <p className="text-sm" data-testid="case-assignee">
                {t("cases.assignee", { name: c.assignee ? c.assignee.name : t("cases.nobody") })}
              </p>
              {can.manageCases ? (
                <>
                  <CaseAssignForm
                    caseId={c.id}
                    assigneeId={c.assignee?.id ?? null}
                    assignees={view.assignees}
                    submissionKey={submissionKeys[`case-assign-${c.id}`]}
                    lastResult={lastResult(`case-assign-${c.id}`)}
                  />
                  {c.transitions.map((to) => (
                    <CaseTransitionForm
                      key={to}
                      caseId={c.id}
                      from={c.status}
                      to={to}
                      submissionKey={submissionKeys[`case-transition-${c.id}-${to}`]}
                      lastResult={lastResult(`case-transition-${c.id}-${to}`)}
                    />
                  ))}
                </>
              ) : null}
            </div>
          ))}
          {can.manageCases ? (
            <CaseOpenForm
              incidents={view.incidentsWithoutCase}
              submissionKey={submissionKeys["case-open"]}
              lastResult={lastResult("case-open")}
            />
          ) : null}
        </Section>
      </div>

      <Section title={t("notes.title")} testId="notes">
        {can.annotate ? (
          <NoteForm cases={view.cases} submissionKey={submissionKeys.note} lastResult={lastResult("note")} />
        ) : null}
        {view.notes.length === 0 ? (
          <Empty>{t("notes.none")}</Empty>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {view.notes.map((n) => (
              <li key={n.id} className="py-2" data-testid="note">
                <p className="whitespace-pre-wrap">{n.body}</p>
                <p className="text-xs text-slate-500">
                  {n.authorName ?? t("notes.unknownStaff")} · {formatJst(n.createdAt, language)}
                  {n.caseId
                    ? ` · ${view.cases.find((c) => c.id === n.caseId)?.incidentCode ?? t("notes.caseFallback")}`
                    : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section title={t("timelineTitle")} testId="timeline-section">
        <Timeline events={view.timeline.events} olderHref={olderHref} />
      </Section>

      <div className="grid gap-6 lg:grid-cols-2">
        <Section title={t("devicesTitle")} testId="devices">
          <DevicesTable devices={view.devices} />
        </Section>
        <Section title={t("sessionsTitle")} testId="sessions">
          <SessionsTable sessions={view.sessions} />
        </Section>
        <Section title={t("contactTitle")} testId="contact-history">
          <ContactChanges changes={view.contactChanges} />
        </Section>
        <Section title={t("cohorts.title")} testId="account-cohorts">
          {view.cohorts.length === 0 ? (
            <Empty>{t("cohorts.none")}</Empty>
          ) : (
            <ul className="text-sm">
              {view.cohorts.map((c) => (
                <li key={c.cohortId} className="flex items-center gap-2">
                  <Link className="underline" to={`/cohorts/${c.cohortId}`}>
                    {c.name}
                  </Link>
                  <RiskScore score={c.riskScore} />
                  <span className="text-xs text-slate-500">{formatJst(c.createdAt, language)}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </div>

      <NoticeStatusList notices={view.notices} canResend={can.notify} redirectTo={`/accounts/${customer.id}`} />
    </div>
  );
}

// Account recovery for one customer: review the contact history, record what the caller proved, restore a hijacked
// contact (or confirm a recent change), and force a password reset whose link only ever goes to the verified email on
// file. The account view links here. Every change goes through the domain services in app/recovery (the audited
// spine); this route only parses forms and shows results.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ZodTypeAny } from "zod";
import { requirePermission } from "~/auth/guard.server";
import type { Permission } from "~/auth/permissions";
import { formatJst } from "~/lib/format";
import { isDomainError } from "~/lib/domain-error";
import { redirectWithToast } from "~/lib/toast.server";
import { forceReset } from "~/recovery/force-reset.server";
import { recordIdentityCheck } from "~/recovery/identity-check.server";
import { loadRecoveryView } from "~/recovery/recovery-view.server";
import { recoveryText } from "~/recovery/copy";
import { requestKeepContact } from "~/recovery/keep-contact.server";
import { sendRecoveryCode, verifyRecoveryCode } from "~/recovery/recovery-code.server";
import { restoreContact } from "~/recovery/restore-contact.server";
import { describeCheck, describeReset } from "~/recovery/recovery-messages";
import {
  ConfirmContactFields,
  ForceResetFields,
  IdentityCheckFields,
  RestoreContactFields,
  SendRecoveryCodeFields,
  VerifyRecoveryCodeFields,
} from "~/recovery/schemas";
import {
  ForceResetForm,
  IdentityCheckForm,
  KeepContactForm,
  RestoreForm,
  SendCodeForm,
  VerifyCodeForm,
} from "~/recovery/ui/recovery-forms";
import { Badge, ContactHistory, ResetLinks } from "~/recovery/ui/recovery-sections";
import { parseFormData, readForm } from "~/lib/form.server";

// The page's loader needs the reset permission; restoring contacts and recording checks are checked again by the
// spine against recovery:restore-contact.
export const permission: Permission = "recovery:force-reset";

export const meta: MetaFunction = () => [{ title: "Account recovery · Firebreak" }];

const SCHEMAS: Record<string, ZodTypeAny> = {
  "identity-check": IdentityCheckFields,
  "send-code": SendRecoveryCodeFields,
  "verify-code": VerifyRecoveryCodeFields,
  restore: RestoreContactFields,
  keep: ConfirmContactFields,
  "force-reset": ForceResetFields,
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  try {
    return json(await loadRecoveryView(ctx, params.customerId ?? ""));
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requirePermission(request, permission);
  const customerId = params.customerId ?? "";
  const formData = await readForm(request, ctx.staff.language);
  const intent = String(formData.get("intent") ?? "");
  const formKey = String(formData.get("formKey") ?? intent);
  const schema = SCHEMAS[intent];
  if (!schema) return json({ formKey, result: null, message: "Unknown action." }, { status: 400 });
  const submission = parseFormData(formData, schema, ctx.staff.language);
  if (submission.status !== "success") return json({ formKey, result: submission.reply(), message: null }, 400);
  const here = `/accounts/${customerId}/recovery`;
  try {
    switch (intent) {
      case "identity-check": {
        const check = await recordIdentityCheck(ctx, { ...submission.value, customerId });
        // Answers are never echoed back into the form.
        return redirectWithToast(here, { kind: check.passed ? "success" : "error", message: describeCheck(check) });
      }
      case "restore": {
        const restored = await restoreContact(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, {
          kind: "success",
          message: `Restored ${restored.field === "EMAIL" ? "email" : "phone"} to ${restored.restored}. Now force a reset: the link will go there.`,
        });
      }
      case "send-code": {
        const sent = await sendRecoveryCode(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: `${recoveryText("codeSent")} ${sent.sentTo}` });
      }
      case "verify-code": {
        await verifyRecoveryCode(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: recoveryText("codeVerified") });
      }
      case "keep": {
        await requestKeepContact(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, { kind: "success", message: recoveryText("keepRequested") });
      }
      default: {
        const summary = await forceReset(ctx, { ...submission.value, customerId });
        return redirectWithToast(here, {
          kind: summary.delivery.kind === "QUEUED" ? "success" : "info",
          message: describeReset(summary),
        });
      }
    }
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return json(
      {
        formKey,
        result: submission.reply({
          formErrors: [error.message],
          hideFields: ["birthDate", "lastTopUpYen", "cardLast4", "code"],
        }),
        message: null,
      },
      { status: error.status },
    );
  }
}

export default function AccountRecovery() {
  const view = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const resultFor = (key: string) => (actionData?.formKey === key && actionData.result ? actionData.result : undefined);
  const { customer } = view;
  const usableCheck = view.identityChecks.find((check) => check.usable);
  const emailReview = view.review.EMAIL;
  const candidates = (field: "EMAIL" | "PHONE") => view.history.filter((row) => row.field === field && row.restorable);
  const destination =
    customer.status === "CLOSED"
      ? "This account is closed: it cannot be reset."
      : !customer.emailVerified
        ? "No link will be sent: the email on file is not verified. Sessions and devices will still be signed out."
        : emailReview
          ? `No link will be sent yet: the email on file (${customer.email}) follows a suspicious change of ${formatJst(emailReview.changedAt)}. Restore the known-good address, or have a security lead approve keeping this one; sessions and devices will still be signed out.`
          : `The link will go to the verified email on file: ${customer.email}. You cannot choose another address.`;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link to={`/accounts/${customer.id}`} className="underline">
              {customer.displayId}
            </Link>{" "}
            · {customer.status}
          </p>
          <h1 className="text-2xl font-bold">Account recovery · {customer.name}</h1>
        </div>
        <div className="flex flex-wrap gap-2" data-testid="recovery-flags">
          {customer.mustChangePassword ? <Badge tone="amber">must set a new password</Badge> : null}
          {customer.mustEnrollTwoFactor ? <Badge tone="amber">must enrol 2FA</Badge> : null}
          {customer.twoFactorEnrolled ? <Badge tone="green">2FA enrolled</Badge> : null}
          <Badge tone={view.activeSessions > 0 ? "red" : "slate"}>{view.activeSessions} live sessions</Badge>
          <Badge tone={view.activeDevices > 0 ? "red" : "slate"}>{view.activeDevices} trusted devices</Badge>
        </div>
      </div>

      {actionData?.message ? (
        <p role="alert" className="text-sm text-red-800">
          {actionData.message}
        </p>
      ) : null}

      <section className="card space-y-3">
        <h2 className="font-semibold">Contact on file</h2>
        <dl className="grid gap-2 text-sm sm:grid-cols-2">
          <div>
            <dt className="text-slate-500">Email</dt>
            <dd data-testid="current-email" className="break-all">
              {customer.email}{" "}
              {customer.emailVerified ? <Badge tone="green">verified</Badge> : <Badge tone="slate">unverified</Badge>}
            </dd>
          </div>
          <div>
            <dt className="text-slate-500">Phone</dt>
            <dd>
              {customer.phone}{" "}
              {customer.phoneVerified ? <Badge tone="green">verified</Badge> : <Badge tone="slate">unverified</Badge>}
            </dd>
          </div>
        </dl>
        {emailReview ? (
          <p role="status" data-testid="email-under-review" className="rounded-md bg-red-50 p-3 text-sm text-red-800">
            The email was changed from {emailReview.oldValue} to {emailReview.newValue} on{" "}
            {formatJst(emailReview.changedAt)}
            {emailReview.changedAt < view.windowStart ? " from a device new to the account" : ""} and nobody has
            reviewed it. It may be the attacker&apos;s: no reset link goes there until you restore the known-good
            address or a security lead approves keeping this one.
          </p>
        ) : null}
        <ContactHistory rows={view.history} />
      </section>

      <div className="grid gap-6 lg:grid-cols-2">
        <section className="card space-y-3">
          <h2 className="font-semibold">1. Check the caller&apos;s identity</h2>
          <IdentityCheckForm lastResult={resultFor("identity-check")} factsAsOf={view.factsAsOf} />
          {view.identityChecks.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="identity-checks">
              {view.identityChecks.map((check) => (
                <li key={check.id}>
                  {formatJst(check.createdAt)} ·{" "}
                  {check.passed ? <Badge tone="green">passed</Badge> : <Badge tone="red">failed</Badge>} birth date{" "}
                  {check.facts.birthDate}, last top-up {check.facts.lastTopUp}, card {check.facts.cardLast4}
                  {check.mine ? "" : " (another agent)"}
                  {check.usedAt ? " · used" : check.usable ? " · usable now" : ""}
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section className="card space-y-3" data-testid="recovery-code">
          <h2 className="font-semibold">{recoveryText("codeHeading")}</h2>
          <p className="text-sm text-slate-600">{recoveryText("codeIntro")}</p>
          <SendCodeForm lastResult={resultFor("send-code")} knownGood={view.knownGood} />
          <VerifyCodeForm lastResult={resultFor("verify-code")} />
          {view.codes.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="recovery-codes">
              {view.codes.map((code) => (
                <li key={code.id}>
                  {formatJst(code.createdAt)} · {code.channel === "EMAIL" ? "email" : "SMS"} to {code.sentTo} ·{" "}
                  <Badge tone={code.state === "VERIFIED" ? "green" : code.state === "WAITING" ? "amber" : "slate"}>
                    {code.state.toLowerCase()}
                  </Badge>
                </li>
              ))}
            </ul>
          ) : null}
        </section>

        <section className="card space-y-4">
          <h2 className="font-semibold">3. Restore a hijacked contact</h2>
          <RestoreForm
            field="EMAIL"
            lastResult={resultFor("restore-EMAIL")}
            candidates={candidates("EMAIL")}
            current={customer.email}
            hasUsableCheck={Boolean(usableCheck)}
          />
          {candidates("PHONE").length > 0 ? (
            <RestoreForm
              field="PHONE"
              lastResult={resultFor("restore-PHONE")}
              candidates={candidates("PHONE")}
              current={customer.phone}
              hasUsableCheck={Boolean(usableCheck)}
            />
          ) : null}
          {emailReview && customer.emailVerified ? (
            <details className="text-sm">
              <summary className="cursor-pointer text-slate-700">The caller made this change themselves?</summary>
              <div className="mt-3">
                <KeepContactForm lastResult={resultFor("keep")} currentEmail={customer.email} />
              </div>
            </details>
          ) : null}
          {view.keepRequests.length > 0 ? (
            <ul className="space-y-1 text-sm" data-testid="keep-requests">
              {view.keepRequests.map((keep) => (
                <li key={keep.id}>
                  {formatJst(keep.requestedAt)} · keep {keep.value} ·{" "}
                  <Badge tone={keep.status === "APPROVED" ? "green" : keep.status === "PENDING" ? "amber" : "slate"}>
                    {keep.status.toLowerCase()}
                  </Badge>
                  {keep.mine ? " (yours: another lead decides)" : ""}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      </div>

      <section className="card space-y-3">
        <h2 className="font-semibold">4. Force a password reset</h2>
        <p className="text-sm text-slate-600">
          Signs out every session and device, requires a new password at the next sign-in, and replaces any earlier link
          with a new one that works once, for 30 minutes.
        </p>
        <ForceResetForm lastResult={resultFor("force-reset")} destination={destination} />
      </section>

      <section className="card space-y-3">
        <h2 className="font-semibold">Reset links</h2>
        <ResetLinks rows={view.links} />
      </section>
    </div>
  );
}

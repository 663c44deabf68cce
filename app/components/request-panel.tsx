// The second half of a four-eyes request, shared by every queue that shows one (privileged staff grants on the staff
// page, keeping a suspect contact on the leads' queue): a card listing the waiting requests, each with a reason field
// and the decisions the reader may take. The panels say what a request asks and which buttons the reader gets; the
// server refuses a decision the reader may not take whatever the page shows.
import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";

export function RequestPanel({
  testId,
  title,
  intro,
  notice,
  error,
  errorTestId,
  isEmpty,
  emptyText,
  beforeList,
  children,
}: {
  testId: string;
  title: string;
  intro: string;
  /** Shown under the intro whether or not anything waits (e.g. that no second admin exists yet). */
  notice?: ReactNode;
  error?: string | null;
  errorTestId?: string;
  isEmpty: boolean;
  emptyText: string;
  /** Shown above the list only when something waits (e.g. that deciding needs a fresh code first). */
  beforeList?: ReactNode;
  /** The rows, each a RequestRow. */
  children: ReactNode;
}) {
  return (
    <section className="card space-y-3" data-testid={testId}>
      <h2 className="font-semibold">{title}</h2>
      <p className="text-sm text-slate-600">{intro}</p>
      {notice}
      {error ? (
        <p role="alert" className="text-sm text-red-800" data-testid={errorTestId}>
          {error}
        </p>
      ) : null}
      {isEmpty ? (
        <p className="text-sm text-slate-600">{emptyText}</p>
      ) : (
        <>
          {beforeList}
          <ul className="divide-y divide-slate-100">{children}</ul>
        </>
      )}
    </section>
  );
}

export function RequestRow({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <li className="space-y-2 py-2 text-sm" data-testid={testId}>
      {children}
    </li>
  );
}

export interface Decision {
  /** The form field the action reads the decision from, and its value for this button. */
  name: string;
  value: string;
  label: string;
  tone: "approve" | "decline";
}

/** One request's decision: a reason every decision needs, then one submit button a decision. */
export function DecisionForm({
  requestId,
  reasonLabel,
  reasonMinLength,
  decisions,
}: {
  requestId: string;
  reasonLabel: string;
  reasonMinLength: number;
  decisions: Decision[];
}) {
  const navigation = useNavigation();
  return (
    <Form method="post" className="flex flex-wrap items-end gap-2">
      <input type="hidden" name="requestId" value={requestId} />
      <label className="grow">
        <span className="label">{reasonLabel}</span>
        <input className="input mt-1" name="reason" required minLength={reasonMinLength} maxLength={500} />
      </label>
      {decisions.map((decision) => (
        <button
          key={decision.value}
          type="submit"
          name={decision.name}
          value={decision.value}
          className={decision.tone === "approve" ? "btn-primary" : "btn-danger"}
          // A second click while the first decision is on its way would only be refused as already decided.
          disabled={navigation.state === "submitting"}
        >
          {decision.label}
        </button>
      ))}
    </Form>
  );
}

// The hostile-input sweep's pass over the forms the pages render (tests/support/hostile-input.ts): every post form
// a page shows to someone who may use it, read from its HTML on pages about real records, each field swept on its own,
// so that a new field or form is covered without listing it.
import { prisma } from "~/db.server";
import { createTestCustomer } from "./customers";
import type { HttpClient } from "./http-app";
import { expectNoServerError, HOSTILE_BODY_VALUES, NOT_REQUESTED, sweepSession } from "./hostile-input";
import { buy, createStore, topUp } from "./ledger-fixtures";
import { createIncident, createVictim } from "./notify-fixtures";
import { renderedForms, type RenderedForm } from "./rendered-forms";
import { callerFor, consoleRoutes } from "./route-files";

// Forms that end the sweep's own session, move the test clock, or spend the lead's second factor.
const FORMS_NOT_POSTED = /^\/(sign-out|test-clock|step-up)/;
// A UUID a form carries (a record's id): the place where a non-UUID reached a uuid column.
const UUID_VALUE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Per field: NUL (the value that reached the database), a non-UUID where the form carries one, and two more taken in
// turn from the hostile list, so that across the fields every value is sent. The full cross product (every field ×
// every value × every intent) would be tens of thousands of requests.
const SAMPLED_PER_FIELD = 2;
// Record ids in an action's path, replaced so that one table's rows count as one form.
const UUID_RE_GLOBAL = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function sampledValues(fieldIndex: number, renderedValue: string): string[] {
  const values = ["a\u0000b"];
  if (UUID_VALUE.test(renderedValue)) values.push("not-a-uuid", "a".repeat(2_000));
  for (let k = 0; k < SAMPLED_PER_FIELD; k += 1) {
    values.push(HOSTILE_BODY_VALUES[(fieldIndex * SAMPLED_PER_FIELD + k) % HOSTILE_BODY_VALUES.length]!);
  }
  return values;
}

/** Pages about real records, so that the forms that only show for one (a charge to reverse, a notice) render too. */
async function seededPages(): Promise<string[]> {
  const customer = await createTestCustomer(prisma);
  const store = await createStore(prisma);
  await topUp(prisma, customer, 30_000);
  const purchaseId = await buy(prisma, customer, store, 12_000);
  const incident = await createIncident("CONTAINED");
  const victim = await createVictim(incident.id);
  const id = customer.customer.id;
  const compose = new URLSearchParams({
    incident: incident.id,
    template: "incident-update",
    target: "selected",
    customers: victim.displayId,
  });
  return [
    `/accounts/${id}`,
    `/accounts/${id}/reverse?charge=${purchaseId}`,
    `/accounts/${id}/recovery`,
    `/accounts/${victim.id}`,
    `/notifications?${compose}`,
  ];
}

interface FoundForm {
  form: RenderedForm;
  client: HttpClient;
  page: string;
}

/** Every post form the console renders to someone who may use it: each page fetched as the caller that can see it. */
async function discoverForms(): Promise<FoundForm[]> {
  const callers = sweepSession();
  const staticPages = consoleRoutes(callers, { except: NOT_REQUESTED })
    .filter(({ file }) => !file.includes("$") && !file.startsWith("api."))
    .map(({ url }) => url);
  const found = new Map<string, FoundForm>();
  for (const page of [...staticPages, ...(await seededPages())]) {
    const client = callerFor(page.slice(1), callers);
    const response = await client.get(page);
    if (response.status !== 200 || !response.headers.get("content-type")?.includes("text/html")) {
      await response.arrayBuffer();
      continue;
    }
    for (const form of renderedForms(await response.text(), page)) {
      if (FORMS_NOT_POSTED.test(form.action)) continue;
      // One of each kind: the rows of a table render the same form for each record.
      const kind = `${form.action.replace(UUID_RE_GLOBAL, ":id")} ${Object.keys(form.fields).sort().join(",")}`;
      if (!found.has(kind)) found.set(kind, { form, client, page });
    }
  }
  return [...found.values()];
}

/**
 * Every field of every form the pages render, one at a time with sampled hostile values, and each field twice; a form
 * that names its intent on a button also without one. Returns "<action> <field>" for every field swept.
 */
export async function sweepRenderedForms(): Promise<Set<string>> {
  const swept = new Set<string>();
  for (const { form, client, page } of await discoverForms()) {
    // Each named button is a way to send the form (an intent); a form without one is sent as it is.
    const variants = form.buttons.length > 0 ? form.buttons : [null];
    // A form that names its intent on a button, sent without any (a script, a keyboard submit in an old browser).
    if (form.buttons.length > 0) {
      await expectNoServerError(`POST ${form.action} (form on ${page}) without an intent`, () =>
        client.post(form.action, form.fields),
      );
    }
    for (const button of variants) {
      const base = button ? { ...form.fields, [button.name]: button.value } : { ...form.fields };
      for (const field of Object.keys(base)) {
        swept.add(`${form.action.split("?")[0]!.replace(UUID_RE_GLOBAL, ":id")} ${field}`);
      }
      let index = 0;
      for (const field of Object.keys(base)) {
        for (const value of sampledValues(index, base[field]!)) {
          const label = `POST ${form.action} (form on ${page}) ${field}=${JSON.stringify(value.slice(0, 20))}`;
          await expectNoServerError(label, () => client.post(form.action, { ...base, [field]: value }));
        }
        // The field twice (an array where the form sends one value), the rendered value first.
        const repeated = new URLSearchParams([...Object.entries(base), [field, "x"]]);
        await expectNoServerError(`POST ${form.action} (form on ${page}) ${field} twice`, () =>
          client.request(form.action, {
            method: "POST",
            body: repeated,
            headers: { "content-type": "application/x-www-form-urlencoded" },
          }),
        );
        index += 1;
      }
    }
  }
  return swept;
}

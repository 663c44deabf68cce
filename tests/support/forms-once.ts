// The one-time form key's tests (ADRs 105, 108, 112): the console and a signed-in agent for a test file, the key a
// page rendered into a form, a form posted twice at once and then again, as a double click and a resend after a lost
// answer do, and what the member and the trail must show afterwards: one change, the repeats refused.
import { afterAll, beforeAll, expect } from "vitest";
import { prisma } from "~/db.server";
import { startHttpApp, type TestHttpApp } from "./http-app";
import { createStaff, signIn, type StaffClient } from "./staff";

/** The notice a Japanese member sees on the page a repeated form led them back to. */
export const SENT_ONCE = "このフォームは二度送信されましたが、実行したのは1回だけです";

export interface ConsoleWithAgent {
  readonly app: TestHttpApp;
  /** A Japanese agent, signed in once for the whole file. */
  readonly agent: StaffClient;
}

/** The console over HTTP and a signed-in Japanese agent, for the whole file. Call at the top level of a test file. */
export function consoleWithAgentPerFile(): ConsoleWithAgent {
  let started: { app: TestHttpApp; agent: StaffClient } | null = null;
  const running = () => {
    if (!started) throw new Error("the console starts in beforeAll: use it inside a test or a hook");
    return started;
  };
  beforeAll(async () => {
    const app = await startHttpApp();
    started = { app, agent: await signIn(app, await createStaff({ role: "AGENT", language: "ja" })) };
  });
  afterAll(async () => {
    await started?.app.close();
  });
  return {
    get app() {
      return running().app;
    },
    get agent() {
      return running().agent;
    },
  };
}

/** The one-time key the page rendered into the form named `formKey`, as the browser would post it back. */
export function submissionKeyOf(html: string, formKey: string): string {
  const found = new RegExp(
    `name="formKey" value="${formKey}"/><input type="hidden" name="submissionKey" value="([0-9a-f-]{36})"`,
  ).exec(html)?.[1];
  if (!found) throw new Error(`the page's ${formKey} form has no submission key`);
  return found;
}

/** The form `formKey` as a fresh rendering of `page` lets `client` fill it in: `fields` and the page's one-time key. */
export async function renderedForm(
  client: StaffClient,
  page: string,
  formKey: string,
  fields: Record<string, string>,
): Promise<Record<string, string>> {
  const submissionKey = submissionKeyOf(await (await client.get(page)).text(), formKey);
  return { ...fields, formKey, submissionKey };
}

/** The form posted twice at once, then once more: the three answers in that order. */
export async function doublePostThenResend(client: StaffClient, page: string, form: Record<string, string>) {
  const together = await Promise.all([client.post(page, form), client.post(page, form)]);
  const again = await client.post(page, form);
  return [...together, again];
}

/** How many of this action's audit rows on the target succeeded, and each refusal's code, in the trail's order. */
export async function trailOf(action: string, targetId: string) {
  const rows = await prisma.auditEvent.findMany({ where: { action, targetId }, orderBy: { seq: "asc" } });
  return {
    succeeded: rows.filter((row) => row.outcome === "SUCCESS").length,
    refused: rows
      .filter((row) => row.outcome === "FAILED")
      .map((row) => String((row.after as { error?: string } | null)?.error ?? "").split(":")[0]),
  };
}

export interface ActedOnce {
  /** The audit action and its target. */
  action: string;
  targetId: string;
  /** Where every answer sends the member. */
  ledTo: string;
  /** The page that then says the form was sent twice and acted on once; null where the answer leads to a list. */
  noticeOn?: string | null;
}

/** Three answers that all redirect to `ledTo`, one SUCCESS row and two repeats refused as ALREADY_SUBMITTED. */
export async function expectActedOnce(client: StaffClient, answers: Response[], expected: ActedOnce) {
  const { action, targetId, ledTo, noticeOn = ledTo } = expected;
  expect(answers.map((answer) => answer.status)).toEqual([302, 302, 302]);
  for (const answer of answers) expect(answer.headers.get("location")).toBe(ledTo);
  expect(await trailOf(action, targetId)).toEqual({
    succeeded: 1,
    refused: ["ALREADY_SUBMITTED", "ALREADY_SUBMITTED"],
  });
  if (noticeOn !== null) expect(await (await client.get(noticeOn)).text()).toContain(SENT_ONCE);
}

// `NODE_ENV=production npx tsx scripts/bench/account-render.ts [--rounds 20] [--renders 400]`
//
// What ADR 082 cut from a page's server render, part by part, before and after interleaved round by round in one
// process so a busy machine slows both alike (the median CPU µs per render, and the ratio), in Japanese with an
// i18next instance made as the server's rendering instance is:
// - the menu of a lead (every entry): a NavLink per entry, as before, and the Links the menu renders now;
// - the account view's five forms' attributes: Conform's getFormProps / getInputProps / getSelectProps /
//   getTextareaProps, and app/components/form-controls.ts, for each field of each form's schema (a form's own hooks
//   are the same in both);
// - the timeline of a busy account: 100 events (the page before) and TIMELINE_PAGE events (now), through the page's
//   own Timeline component.
// Each render is react-dom's renderToString inside a router at an account's URL; no database is opened.
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type FieldMetadata,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Link, NavLink } from "@remix-run/react";
import { createInstance } from "i18next";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider, useTranslation } from "react-i18next";
import { StaticRouter } from "react-router-dom/server";
import { parseArgs } from "node:util";
import type { z } from "zod";
import {
  CaseAssignFields,
  CaseOpenFields,
  CaseTransitionFields,
  NoteFields,
  StatusChangeFields,
} from "~/accounts/account-forms";
import { TIMELINE_PAGE, type TimelineEvent } from "~/accounts/timeline.server";
import { Timeline } from "~/accounts/ui/account-sections";
import { ROLE_PERMISSIONS } from "~/auth/permissions";
import { isCurrentSection, NAVIGATION } from "~/components/app-shell";
import { formProps, inputProps, selectProps, textareaProps } from "~/components/form-controls";
import { i18nConfig } from "~/i18n/config";
import { memoizeLabelLookups } from "~/i18n/memoized-t";

const { values: args } = parseArgs({
  options: { rounds: { type: "string", default: "20" }, renders: { type: "string", default: "400" } },
});
// React picks its build by NODE_ENV when it is first imported; its development build costs several times more.
if (process.env.NODE_ENV !== "production") throw new Error("run with NODE_ENV=production, as the server runs");
const ROUNDS = Number(args.rounds);
const RENDERS = Number(args.renders);
const AT = "/accounts/3f0c9a8e-1b2c-4d5e-8f90-123456789abc";
// As the server's rendering instance is made (app/i18n/i18next.server.ts, which also opens the database).
const i18n = createInstance();
void i18n.init({ ...i18nConfig, lng: "ja" });
memoizeLabelLookups(i18n);

function page(children: ReactNode): string {
  return renderToString(
    createElement(I18nextProvider, { i18n }, createElement(StaticRouter, { location: AT }, children)),
  );
}

/** CPU µs per render of `RENDERS` renders. */
function perRender(render: () => string): number {
  const started = process.cpuUsage();
  for (let i = 0; i < RENDERS; i++) render();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / RENDERS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
function compare(name: string, before: () => string, after: () => string) {
  // A render of each first, to warm the code.
  before();
  after();
  const [b, a] = [[] as number[], [] as number[]];
  for (let round = 0; round < ROUNDS; round++) {
    b.push(perRender(before));
    a.push(perRender(after));
  }
  const [mb, ma] = [median(b), median(a)];
  console.log(`${name}: before ${mb.toFixed(1)} µs, after ${ma.toFixed(1)} µs per render (×${(ma / mb).toFixed(3)})`);
}

// The menu, as the shell renders it for a lead, with the account page open.
const leadLinks = NAVIGATION.filter((item) => ROLE_PERMISSIONS.SECURITY_LEAD.has(item.permission));
const linkClass = (active: boolean) =>
  `whitespace-nowrap rounded px-1.5 py-1 ${active ? "bg-slate-700 text-white" : "text-slate-300 hover:text-white"}`;
function NavLinkMenu() {
  const { t } = useTranslation();
  return createElement(
    "nav",
    null,
    leadLinks.map((item) =>
      createElement(
        NavLink,
        { key: item.to, to: item.to, end: item.to === "/", className: ({ isActive }) => linkClass(isActive) },
        t(item.label),
      ),
    ),
  );
}
function LinkMenu() {
  const { t } = useTranslation();
  return createElement(
    "nav",
    null,
    leadLinks.map((item) => {
      const active = isCurrentSection(AT, item.to);
      return createElement(
        Link,
        { key: item.to, to: item.to, "aria-current": active ? "page" : undefined, className: linkClass(active) },
        t(item.label),
      );
    }),
  );
}
compare(
  `the menu (${leadLinks.length} entries)`,
  () => page(createElement(NavLinkMenu)),
  () => page(createElement(LinkMenu)),
);

// The five forms' attributes, each form's hooks alike in both.
const SCHEMAS: [string, z.AnyZodObject][] = [
  ["status", StatusChangeFields],
  ["note", NoteFields],
  ["case-transition", CaseTransitionFields],
  ["case-assign", CaseAssignFields],
  ["case-open", CaseOpenFields],
];
type Field = FieldMetadata<unknown>;
function FormAttributes({ formKey, schema, ours }: { formKey: string; schema: z.AnyZodObject; ours: boolean }) {
  const [form, fields] = useForm<Record<string, unknown>>({
    id: formKey,
    shouldValidate: "onSubmit",
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
  });
  const controls = Object.keys(schema.shape).map((name, k) => {
    const field = fields[name] as Field;
    const kind = k % 3;
    const props = ours
      ? [inputProps(field, { type: "text" }), selectProps(field), textareaProps(field)][kind]
      : [getInputProps(field, { type: "text" }), getSelectProps(field), getTextareaProps(field)][kind];
    return createElement(["input", "select", "textarea"][kind]!, { key: name, ...props });
  });
  return createElement("form", ours ? formProps(form) : getFormProps(form), controls);
}
const forms = (ours: boolean) =>
  page(SCHEMAS.map(([formKey, schema]) => createElement(FormAttributes, { key: formKey, formKey, schema, ours })));
compare(
  "the account view's five forms",
  () => forms(false),
  () => forms(true),
);

// A busy account's timeline: the kinds of a victim's days, each summary as long as the page's.
const KINDS: TimelineEvent["kind"][] = ["sign-in", "top-up", "purchase", "risk-decision", "sign-in-failed"];
const events: TimelineEvent[] = Array.from({ length: 100 }, (_, k) => ({
  kind: KINDS[k % KINDS.length]!,
  at: new Date(Date.UTC(2019, 6, 3) - k * 3_600_000).toISOString(),
  summary: `ナナマート 博多駅前店 で決済: スポーツドリンク 500ml ×3, 缶コーヒー ×${k}`,
  amount: k % 5 === 1 ? 10_000 : k % 5 === 2 ? -1_620 : null,
  flags: k % 5 === 4 ? ["失敗"] : [],
  ref: `ref-${k}`,
}));
const timeline = (shown: number) =>
  page(createElement(Timeline, { events: events.slice(0, shown), olderHref: `${AT}?before=x` }));
compare(
  `a busy account's timeline (100 → ${TIMELINE_PAGE} events)`,
  () => timeline(100),
  () => timeline(TIMELINE_PAGE),
);
process.exit(0);

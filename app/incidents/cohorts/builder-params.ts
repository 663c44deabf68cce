// The cohort builder's form ⇄ a CohortDefinition. The builder is a GET form (a search is a link a lead can share), so
// the filters travel as flat query parameters; times are typed in JST (datetime-local) and stored in UTC.
import type { z } from "zod";
import { messageWithValues } from "~/i18n/fixed-t";
import { parseJstDateTime, toJstDateTimeLocal } from "~/lib/jst-date-time";
import { CohortDefinitionSchema, SIGNAL_KEYS, type CohortDefinition } from "~/incidents/cohorts/definition";

export interface BuilderValues {
  from: string;
  to: string;
  match: string;
  minScore: string;
  newDevice: boolean;
  foreignSignIn: boolean;
  homeCountry: string;
  sharedDevice: boolean;
  sharedDeviceMin: string;
  sharedIp: boolean;
  sharedIpMin: string;
  topUpThenResellable: boolean;
  topUpHours: string;
  topUpMinYen: string;
  contactChangeBeforeTopUp: boolean;
  contactHours: string;
  storeIds: string[];
}

const on = (params: URLSearchParams, name: string) => params.get(name) === "on" || params.get(name) === "true";
const text = (params: URLSearchParams, name: string, fallback: string) => (params.get(name) ?? fallback).slice(0, 40);

export function readBuilderValues(params: URLSearchParams, defaults: { from: Date; to: Date }): BuilderValues {
  return {
    from: text(params, "from", toJstDateTimeLocal(defaults.from)),
    to: text(params, "to", toJstDateTimeLocal(defaults.to)),
    match: params.get("match") === "any" ? "any" : "all",
    minScore: text(params, "minScore", "0"),
    newDevice: on(params, "newDevice"),
    foreignSignIn: on(params, "foreignSignIn"),
    homeCountry: text(params, "homeCountry", "JP").toUpperCase(),
    sharedDevice: on(params, "sharedDevice"),
    sharedDeviceMin: text(params, "sharedDeviceMin", "3"),
    sharedIp: on(params, "sharedIp"),
    sharedIpMin: text(params, "sharedIpMin", "10"),
    topUpThenResellable: on(params, "topUpThenResellable"),
    topUpHours: text(params, "topUpHours", "6"),
    topUpMinYen: text(params, "topUpMinYen", "10000"),
    contactChangeBeforeTopUp: on(params, "contactChangeBeforeTopUp"),
    contactHours: text(params, "contactHours", "24"),
    storeIds: params.getAll("storeId").slice(0, 20),
  };
}

export type BuilderParse = { ok: true; definition: CohortDefinition } | { ok: false; errors: string[] };

/**
 * Errors are message keys, with their values where a sentence needs them: a signal's number field names itself by
 * `field` (its label is cohorts:builder.field.<field>), and zod's own sentence comes from `errorMap` (the route gives
 * the member's, zodErrorMapFor).
 */
export function definitionFromValues(values: BuilderValues, errorMap?: z.ZodErrorMap): BuilderParse {
  const from = parseJstDateTime(values.from);
  const to = parseJstDateTime(values.to);
  const errors: string[] = [];
  if (!from) errors.push("cohorts:validation.windowStart");
  if (!to) errors.push("cohorts:validation.windowEnd");
  if (errors.length > 0) return { ok: false, errors };
  const input = {
    window: { from, to },
    match: values.match,
    minScore: values.minScore || "0",
    signals: {
      newDevice: { enabled: values.newDevice },
      foreignSignIn: { enabled: values.foreignSignIn, homeCountry: values.homeCountry },
      sharedDevice: { enabled: values.sharedDevice, minAccounts: values.sharedDeviceMin },
      sharedIp: { enabled: values.sharedIp, minAccounts: values.sharedIpMin },
      topUpThenResellable: {
        enabled: values.topUpThenResellable,
        withinHours: values.topUpHours,
        minYen: values.topUpMinYen,
      },
      contactChangeBeforeTopUp: { enabled: values.contactChangeBeforeTopUp, withinHours: values.contactHours },
    },
    storeIds: values.storeIds,
  };
  const parsed = CohortDefinitionSchema.safeParse(input, errorMap ? { errorMap } : undefined);
  if (parsed.success) return { ok: true, definition: parsed.data };
  return {
    ok: false,
    errors: parsed.error.issues.map((issue) => {
      const where = issue.path.join(".");
      if (issue.code === "invalid_string" && where.startsWith("storeIds")) return "cohorts:validation.storesFromList";
      // The schema's own messages are keys that name their field; zod's generic ones get the field in front.
      const ownMessage = issue.message.startsWith("cohorts:");
      const field = signalField(where);
      if (field && issue.code !== "custom" && !ownMessage) {
        return messageWithValues("cohorts:validation.signalField", { field, problem: issue.message });
      }
      return issue.message;
    }),
  };
}

/** The builder's fields of a signal's settings, named as the form names them. */
export const SIGNAL_FIELDS = [
  "sharedDeviceMin",
  "sharedIpMin",
  "topUpHours",
  "topUpMinYen",
  "contactHours",
  "homeCountry",
] as const;
export type SignalField = (typeof SIGNAL_FIELDS)[number];

function signalField(path: string): SignalField | null {
  if (!path.startsWith("signals.")) return null;
  if (path.includes("sharedDevice")) return "sharedDeviceMin";
  if (path.includes("sharedIp")) return "sharedIpMin";
  if (path.includes("topUpThenResellable.withinHours")) return "topUpHours";
  if (path.includes("topUpThenResellable.minYen")) return "topUpMinYen";
  if (path.includes("contactChangeBeforeTopUp")) return "contactHours";
  if (path.includes("homeCountry")) return "homeCountry";
  return null;
}

/** The query string that reproduces a builder form. */
export function builderQuery(values: BuilderValues): string {
  const params = new URLSearchParams();
  params.set("from", values.from);
  params.set("to", values.to);
  params.set("match", values.match);
  params.set("minScore", values.minScore);
  for (const flag of SIGNAL_KEYS) {
    if (values[flag]) params.set(flag, "on");
  }
  params.set("homeCountry", values.homeCountry);
  params.set("sharedDeviceMin", values.sharedDeviceMin);
  params.set("sharedIpMin", values.sharedIpMin);
  params.set("topUpHours", values.topUpHours);
  params.set("topUpMinYen", values.topUpMinYen);
  params.set("contactHours", values.contactHours);
  for (const id of values.storeIds) params.append("storeId", id);
  return params.toString();
}

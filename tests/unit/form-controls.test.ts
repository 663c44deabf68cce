// The account view's form attributes (app/components/form-controls.ts, ADR 082) are Conform's own: for every field of
// every account form, as a form first renders and after a refused submission (errors, the values sent back, a form
// error), each helper gives what getFormProps, getInputProps, getSelectProps and getTextareaProps give.
import {
  getFormProps,
  getInputProps,
  getSelectProps,
  getTextareaProps,
  useForm,
  type SubmissionResult,
} from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  CaseAssignFields,
  CaseOpenFields,
  CaseTransitionFields,
  NoteFields,
  StatusChangeFields,
} from "~/accounts/account-forms";
import { formProps, inputProps, selectProps, textareaProps } from "~/components/form-controls";

const FORMS: [string, z.AnyZodObject, Record<string, string | string[]>][] = [
  ["status", StatusChangeFields, { intent: "status", change: "freeze", reason: "x" }],
  ["note", NoteFields, { intent: "note", body: "", caseId: "not-a-case" }],
  ["case-transition", CaseTransitionFields, { intent: "case-transition", caseId: "c", from: "OPEN", to: "LATER" }],
  ["case-assign", CaseAssignFields, { intent: "case-assign", caseId: "c", assigneeId: ["a", "b"] }],
  ["case-open", CaseOpenFields, { intent: "case-open", incidentId: "", reason: "r".repeat(501) }],
];

/** What a refused submission of `sent` sends back to the page, with a form error as the action adds one. */
function refused(schema: z.AnyZodObject, sent: Record<string, string | string[]>): SubmissionResult<string[]> {
  const formData = new FormData();
  for (const [name, value] of Object.entries(sent)) for (const one of [value].flat()) formData.append(name, one);
  const submission = parseWithZod(formData, { schema });
  return submission.reply({ formErrors: ["accounts:validation.sayWhy"] });
}

type Props = Record<string, unknown>;
interface Both {
  conform: Props[];
  ours: Props[];
}

/** Both helpers' attributes for the form and each of its fields, read in one render of a component using the form. */
function attributesOf(formKey: string, schema: z.AnyZodObject, lastResult?: SubmissionResult<string[]>): Both {
  const both: Both = { conform: [], ours: [] };
  function Probe() {
    const [form, fields] = useForm<Record<string, unknown>>({
      id: formKey,
      lastResult,
      shouldValidate: "onSubmit",
      onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    });
    both.conform.push(getFormProps(form));
    both.ours.push(formProps(form));
    for (const name of Object.keys(schema.shape)) {
      const field = fields[name]!;
      both.conform.push(getInputProps(field, { type: "text" }), getSelectProps(field), getTextareaProps(field));
      both.ours.push(inputProps(field, { type: "text" }), selectProps(field), textareaProps(field));
    }
    return null;
  }
  renderToString(createElement(Probe));
  return both;
}

describe("the account forms' attributes", () => {
  it.each(FORMS)("are Conform's for the %s form as it first renders", (formKey, schema) => {
    const { conform, ours } = attributesOf(formKey, schema);
    expect(ours).toEqual(conform);
  });

  it.each(FORMS)("are Conform's for the %s form after a refused submission", (formKey, schema, sent) => {
    const { conform, ours } = attributesOf(formKey, schema, refused(schema, sent));
    // The case: a field with errors and one sent back as it was typed, and the form's own error.
    expect(conform.some((props) => props["aria-invalid"] === true)).toBe(true);
    expect(conform.some((props) => props.defaultValue !== undefined)).toBe(true);
    expect(conform[0]).toHaveProperty("aria-describedby");
    expect(ours).toEqual(conform);
  });
});

// The attributes of a Conform form and its controls, as Conform's getFormProps, getInputProps, getSelectProps and
// getTextareaProps give them to a form made without `constraint` (the schema is checked on submit, not through HTML
// attributes), reading each field's metadata once.
//
// Every read of a field's metadata (`field.id`, `field.errors`, …) makes Conform build the field's whole metadata
// object and a Proxy over it again; its helpers read about fifteen of them per control (the constraint attributes
// among them), about 20 µs a control on the server. The account view renders up to a dozen controls in every page
// (ADR 082). What these give is held against Conform's own helpers, with and without errors and submitted values, in
// tests/unit/form-controls.test.ts. A form that sets `constraint` needs Conform's helpers: these would leave out
// `required`, `minLength` and the rest.
import type { FieldMetadata, FormMetadata } from "@conform-to/react";

type Field = Pick<FieldMetadata<unknown>, "id" | "name" | "formId" | "errorId" | "errors" | "initialValue">;

/** `aria-invalid` and `aria-describedby` for a control whose field has errors, as Conform sets them. */
function controlBase(field: Field) {
  const props: {
    id: string;
    name: string;
    form: string;
    "aria-invalid"?: true;
    "aria-describedby"?: string;
  } = { id: field.id, name: field.name, form: field.formId };
  if (field.errors !== undefined) {
    props["aria-invalid"] = true;
    props["aria-describedby"] = field.errorId;
  }
  return props;
}

export function formProps(
  form: Pick<FormMetadata<Record<string, unknown>>, "id" | "onSubmit" | "noValidate" | "errors" | "errorId">,
) {
  const props: { id: string; onSubmit: typeof form.onSubmit; noValidate: boolean; "aria-describedby"?: string } = {
    id: form.id,
    onSubmit: form.onSubmit,
    noValidate: form.noValidate,
  };
  if (form.errors !== undefined) props["aria-describedby"] = form.errorId;
  return props;
}

export function inputProps(field: Field, options: { type: "text" | "search" | "email" | "password" | "tel" | "url" }) {
  const initialValue = field.initialValue;
  return {
    ...controlBase(field),
    type: options.type,
    ...(typeof initialValue === "string" ? { defaultValue: initialValue } : {}),
  };
}

export function selectProps(field: Field) {
  const initialValue = field.initialValue as unknown;
  const defaultValue = Array.isArray(initialValue)
    ? initialValue.map((item: unknown) => `${(item as string | null | undefined) ?? ""}`)
    : (initialValue as { toString(): string } | null | undefined)?.toString();
  return { ...controlBase(field), ...(defaultValue === undefined ? {} : { defaultValue }) };
}

export function textareaProps(field: Field) {
  const defaultValue = (field.initialValue as { toString(): string } | null | undefined)?.toString();
  return { ...controlBase(field), ...(defaultValue === undefined ? {} : { defaultValue }) };
}

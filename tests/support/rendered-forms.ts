// The forms a page actually renders, read from its HTML: every <form method="post">, where it posts, the value each
// named input, select and textarea would send, and the named buttons (the intents) it can be submitted with. React's
// server rendering writes attributes in double quotes with entities escaped, so a small reader suffices.

export interface RenderedForm {
  /** The path the form posts to (its action, or the page it sits on). */
  action: string;
  /** Each named control with the value a browser would send untouched (the first option of a select). */
  fields: Record<string, string>;
  /** The named submit buttons: each a name and value the form can be sent with. */
  buttons: { name: string; value: string }[];
}

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", "#x27": "'", "#39": "'" };

function decode(text: string): string {
  return text.replace(/&(amp|quot|lt|gt|#x27|#39);/g, (_, name: string) => ENTITIES[name]!);
}

function attributesOf(tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const match of tag.matchAll(/([a-zA-Z_:-]+)(?:="([^"]*)")?/g)) {
    attributes[match[1]!.toLowerCase()] = decode(match[2] ?? "");
  }
  return attributes;
}

/** The post forms in `html`, with relative actions resolved against `pageUrl`. */
export function renderedForms(html: string, pageUrl: string): RenderedForm[] {
  const forms: RenderedForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const form = attributesOf(match[1]!);
    if ((form.method ?? "get").toLowerCase() !== "post") continue;
    const body = match[2]!;
    const fields: Record<string, string> = {};
    const buttons: { name: string; value: string }[] = [];
    for (const control of body.matchAll(/<(input|textarea|button)\b([^>]*)>/g)) {
      const attributes = attributesOf(control[2]!);
      const name = attributes.name;
      if (!name) continue;
      const type = (attributes.type ?? (control[1] === "button" ? "submit" : "text")).toLowerCase();
      if (control[1] === "button" || type === "submit") buttons.push({ name, value: attributes.value ?? "" });
      else if (control[1] === "textarea") fields[name] ??= "";
      else if (type === "checkbox" || type === "radio") fields[name] ??= attributes.value ?? "on";
      else fields[name] ??= attributes.value ?? "";
    }
    for (const select of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attributesOf(select[1]!).name;
      if (!name) continue;
      const firstOption = [...select[2]!.matchAll(/<option\b([^>]*)>/g)]
        .map((option) => attributesOf(option[1]!).value)
        .find((value) => value !== undefined && value !== "");
      fields[name] ??= firstOption ?? "";
    }
    const url = new URL(form.action || pageUrl, "http://page.invalid");
    forms.push({ action: url.pathname + url.search, fields, buttons });
  }
  return forms;
}

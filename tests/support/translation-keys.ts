// The keys of a namespace's resources, nested keys joined with dots ("form.action"), for the tests and benches that
// walk every key.
export function leafKeys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leafKeys(child, prefix ? `${prefix}.${key}` : key),
  );
}

/** The label at a dotted key; a key may itself hold dots (the audit actions' codes, ADR 107), as i18next allows. */
export function labelAt(resource: unknown, key: string): string {
  const node = resource as Record<string, unknown>;
  if (key in node) return node[key] as string;
  const parts = key.split(".");
  for (let length = parts.length - 1; length >= 1; length -= 1) {
    const head = parts.slice(0, length).join(".");
    if (head in node && typeof node[head] === "object") return labelAt(node[head], parts.slice(length).join("."));
  }
  throw new Error(`no label at ${key}`);
}

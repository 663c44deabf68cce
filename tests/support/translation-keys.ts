// The keys of a namespace's resources, nested keys joined with dots ("form.action"), for the tests and benches that
// walk every key.
export function leafKeys(value: unknown, prefix = ""): string[] {
  if (typeof value === "string") return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
    leafKeys(child, prefix ? `${prefix}.${key}` : key),
  );
}

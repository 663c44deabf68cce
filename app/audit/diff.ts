// Before/after of an audit row as a list of field changes, for the diff renderer. Pure, runs in the browser too.
// Objects are compared field by field down to scalars ("balance", "flags[0]", "address.city"); anything else is
// compared as a whole value.
export type DiffKind = "added" | "removed" | "changed" | "unchanged";

export interface DiffLine {
  path: string;
  kind: DiffKind;
  before?: string;
  after?: string;
}

export const MAX_DIFF_LINES = 500;
const ROOT = "(value)";

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === "object" && value !== null;
}

function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path === ROOT ? "" : path}[${key}]`;
  return path === ROOT ? key : `${path}.${key}`;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (isContainer(value)) {
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.keys(value)
          .sort()
          .map((k) => [k, value[k]]);
    if (entries.length === 0) out.set(path, value); // {} and [] are values of their own
    for (const [key, child] of entries) flatten(child, join(path, key), out);
    return;
  }
  out.set(path, value);
}

/** null/undefined on one side means "did not exist" (a created or deleted thing), not a field set to null. */
export function diffAuditValues(before: unknown, after: unknown): { lines: DiffLine[]; truncated: boolean } {
  const left = new Map<string, unknown>();
  const right = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, ROOT, left);
  if (after !== null && after !== undefined) flatten(after, ROOT, right);
  const paths = [...new Set([...left.keys(), ...right.keys()])];
  const lines: DiffLine[] = [];
  for (const path of paths) {
    const inLeft = left.has(path);
    const inRight = right.has(path);
    const b = left.get(path);
    const a = right.get(path);
    if (inLeft && !inRight) lines.push({ path, kind: "removed", before: show(b) });
    else if (!inLeft && inRight) lines.push({ path, kind: "added", after: show(a) });
    else if (JSON.stringify(a) === JSON.stringify(b))
      lines.push({ path, kind: "unchanged", before: show(b), after: show(a) });
    else lines.push({ path, kind: "changed", before: show(b), after: show(a) });
  }
  // Changes first (in path order), then what stayed the same: reviewers read what moved.
  const order: Record<DiffKind, number> = { changed: 0, added: 0, removed: 0, unchanged: 1 };
  lines.sort((x, y) => order[x.kind] - order[y.kind] || x.path.localeCompare(y.path, "en", { numeric: true }));
  return { lines: lines.slice(0, MAX_DIFF_LINES), truncated: lines.length > MAX_DIFF_LINES };
}

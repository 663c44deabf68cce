// The query parameters the console reads by name while a request runs, recorded on URLSearchParams (the loaders read
// `new URL(request.url).searchParams`). The test server runs in the test's own process, so the methods are wrapped
// there for the one request in flight: no other request may run meanwhile.
type Method = (...args: unknown[]) => unknown;

const searchParamsMethods = URLSearchParams.prototype as unknown as Record<PropertyKey, Method>;
const BY_NAME = ["get", "getAll", "has"];
// Walking or serialising the parameters reads them all.
const WHOLE: PropertyKey[] = ["entries", "keys", "values", "forEach", "toString", Symbol.iterator];
const ALL_PARAMETERS = "*";

/**
 * Every parameter name `request` (a GET with no query string) makes the console read, whether `fieldNames` lists it or
 * not, plus all of `fieldNames` if it walks the parameters: a page that starts reading a new parameter has it swept
 * without a list.
 */
export async function fieldsReadBy(fieldNames: readonly string[], request: () => Promise<void>): Promise<string[]> {
  const reads = new Set<string>();
  const unpatched = new Map<PropertyKey, Method>();
  for (const method of [...BY_NAME, ...WHOLE]) {
    const original = searchParamsMethods[method]!;
    unpatched.set(method, original);
    searchParamsMethods[method] = function recorded(this: unknown, ...args: unknown[]) {
      reads.add(BY_NAME.includes(method as string) ? String(args[0]) : ALL_PARAMETERS);
      return original.apply(this, args);
    };
  }
  try {
    await request();
  } finally {
    for (const [method, original] of unpatched) searchParamsMethods[method] = original;
  }
  const named = [...reads].filter((name) => name !== ALL_PARAMETERS);
  return reads.has(ALL_PARAMETERS) ? [...new Set([...fieldNames, ...named])] : named;
}

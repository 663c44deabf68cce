// What the compose screen needs from its URL: which incident, notice, language and recipients, resolved against the
// database (display IDs to customer IDs). Parsing never throws for anything a user can type: problems come back as
// messages to show.
import { z } from "zod";
import { prisma } from "~/db.server";
import { COMPOSABLE_TEMPLATES, LANGUAGE_CHOICES } from "~/notify/notice-schemas";
import { UUID_PATTERN } from "~/lib/uuid";

// Selections typed or pasted by hand travel in the page's URL; larger sets are "every victim" (or, later, a cohort).
export const MAX_SELECTED_BY_HAND = 500;
const MAX_REFERENCE_TEXT = 8_000;

export const ComposeQuerySchema = z.object({
  incident: z.string().regex(UUID_PATTERN).optional().catch(undefined),
  template: z.enum(COMPOSABLE_TEMPLATES).catch("account-secured"),
  language: z.enum(LANGUAGE_CHOICES).catch("auto"),
  target: z.enum(["all", "selected"]).catch("all"),
  customers: z.string().catch(""),
  preview: z.string().max(100).catch(""),
});
export type ComposeQuery = z.infer<typeof ComposeQuerySchema>;

/**
 * The account page's Notify button opens `?customerId=…`: that caller alone is selected (never "every victim"), and
 * the incident defaults to theirs (see chooseIncident).
 */
export function readComposeQuery(params: URLSearchParams): ComposeQuery & { customerId: string | null } {
  const single = params.get("customerId");
  const customerId = single && UUID_PATTERN.test(single) ? single.toLowerCase() : null;
  const query = ComposeQuerySchema.parse({
    incident: params.get("incident") ?? undefined,
    template: params.get("template") ?? undefined,
    language: params.get("language") ?? undefined,
    target: params.get("target") ?? (single !== null ? "selected" : undefined),
    customers: params.get("customers") ?? single ?? "",
    preview: params.get("preview") ?? "",
  });
  return { ...query, customerId };
}

/** The incident asked for; else the customer's most recent case's; else the newest. */
export async function chooseIncident<I extends { id: string }>(
  incidents: I[],
  query: { incident?: string; customerId: string | null },
): Promise<I | null> {
  const asked = incidents.find((i) => i.id === query.incident);
  if (asked) return asked;
  if (query.customerId) {
    const own = await prisma.incidentCase.findFirst({
      where: { customerId: query.customerId },
      orderBy: { openedAt: "desc" },
      select: { incidentId: true },
    });
    const theirs = incidents.find((i) => i.id === own?.incidentId);
    if (theirs) return theirs;
  }
  return incidents[0] ?? null;
}

/** A refusal is a notify:* key and its parameters: the page says it in the staff member's language. */
export type RecipientChoice =
  { ok: true; customerIds: string[] | undefined } | { ok: false; message: string; params?: Record<string, unknown> };

/** What a send targets: every victim (undefined), or the customers typed, all of which must exist. */
export async function resolveRecipients(target: "all" | "selected", customers: string): Promise<RecipientChoice> {
  if (target !== "selected") return { ok: true, customerIds: undefined };
  const resolved = await resolveCustomerReferences(customers);
  if (resolved.tooMany) {
    return { ok: false, message: "notify:recipients.tooMany", params: { max: MAX_SELECTED_BY_HAND } };
  }
  if (resolved.unknown.length > 0) {
    return {
      ok: false,
      message: "notify:recipients.unknown",
      params: { list: resolved.unknown.slice(0, 10).join(", ") },
    };
  }
  if (resolved.ids.length === 0) return { ok: false, message: "notify:recipients.none" };
  return { ok: true, customerIds: resolved.ids };
}

/** Display IDs (W-00012345) or customer UUIDs, separated by spaces, commas or new lines. */
export function splitReferences(text: string): string[] {
  return [
    ...new Set(
      text
        .normalize("NFKC")
        .split(/[\s,、，;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

export interface ResolvedCustomers {
  ids: string[];
  unknown: string[];
  tooMany: boolean;
}

export async function resolveCustomerReferences(text: string): Promise<ResolvedCustomers> {
  if (text.length > MAX_REFERENCE_TEXT) return { ids: [], unknown: [], tooMany: true };
  const refs = splitReferences(text);
  if (refs.length > MAX_SELECTED_BY_HAND) return { ids: [], unknown: [], tooMany: true };
  // The pattern, not isUuid: these are strings either way, and its type guard would leave the other branch `never`.
  const uuids = refs.filter((r) => UUID_PATTERN.test(r)).map((r) => r.toLowerCase());
  // Display IDs as typed and upper-cased ("w-00012345" read out over the phone is W-00012345).
  const displayIds = refs.filter((r) => !UUID_PATTERN.test(r)).flatMap((r) => [r, r.toUpperCase()]);
  const found = await prisma.customer.findMany({
    where: { OR: [{ id: { in: uuids } }, { displayId: { in: displayIds } }] },
    select: { id: true, displayId: true },
  });
  const byRef = new Map<string, string>();
  for (const c of found) {
    byRef.set(c.id, c.id);
    byRef.set(c.displayId, c.id);
    if (!byRef.has(c.displayId.toUpperCase())) byRef.set(c.displayId.toUpperCase(), c.id);
  }
  const ids: string[] = [];
  const unknown: string[] = [];
  for (const ref of refs) {
    const id = UUID_PATTERN.test(ref) ? byRef.get(ref.toLowerCase()) : (byRef.get(ref) ?? byRef.get(ref.toUpperCase()));
    if (id) ids.push(id);
    else unknown.push(ref);
  }
  return { ids: [...new Set(ids)], unknown, tooMany: false };
}

export async function listIncidents() {
  return prisma.incident.findMany({
    orderBy: { openedAt: "desc" },
    take: 50,
    select: { id: true, code: true, title: true, status: true },
  });
}

/** The victim to preview: the one asked for, else the first selected, else the incident's first victim. */
export async function pickPreviewCustomer(
  incidentId: string,
  previewRef: string,
  selected: string[],
): Promise<string | null> {
  if (previewRef) {
    const resolved = await resolveCustomerReferences(previewRef);
    if (resolved.ids[0]) return resolved.ids[0];
  }
  if (selected[0]) return selected[0];
  const first = await prisma.incidentCase.findFirst({
    where: { incidentId },
    orderBy: { customer: { displayId: "asc" } },
    select: { customerId: true },
  });
  return first?.customerId ?? null;
}

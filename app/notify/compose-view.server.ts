// What the compose page shows for the query in its URL: the incident it picks, the recipients a selection names, the
// plan of what a send would queue and a preview with a real account's data (each refused with its reason in the
// member's language instead), and the incident's campaigns so far. Reads only: sending is enqueueNotices.
import type { Language } from "~/i18n/config";
import { translateDomainError } from "~/i18n/translate.server";
import { isDomainError } from "~/lib/domain-error";
import {
  chooseIncident,
  listIncidents,
  pickPreviewCustomer,
  resolveCustomerReferences,
  type readComposeQuery,
} from "~/notify/compose.server";
import { loadIncidentNoticeProgress } from "~/notify/notice-queries.server";
import { COMPOSABLE_TEMPLATES } from "~/notify/notice-schemas";
import { planNotices, previewNotice, type NoticePlan, type NoticePreview } from "~/notify/notices.server";

/** What the member may do on the page, decided by the route from their session. */
export interface ComposeViewer {
  canBulk: boolean;
  steppedUp: boolean;
  devMail: boolean;
}

export async function loadComposeView(
  query: ReturnType<typeof readComposeQuery>,
  viewer: ComposeViewer,
  language: Language | undefined,
) {
  const incidents = await listIncidents();
  const incident = await chooseIncident(incidents, query);
  const templates = COMPOSABLE_TEMPLATES.map((key) => ({ key }));
  if (!incident) {
    return {
      query,
      incidents,
      incident: null,
      templates,
      viewer,
      selection: null,
      plan: null,
      preview: null,
      campaigns: [],
    };
  }

  const resolved = query.target === "selected" ? await resolveCustomerReferences(query.customers) : null;
  const selection = resolved
    ? {
        count: resolved.ids.length,
        unknown: resolved.unknown.slice(0, 20),
        unknownCount: resolved.unknown.length,
        tooMany: resolved.tooMany,
      }
    : null;
  const customerIds = resolved && resolved.ids.length > 0 ? resolved.ids : undefined;
  const selectionUsable = !resolved || (customerIds !== undefined && resolved.unknown.length === 0);

  let plan: NoticePlan | null = null;
  let planError: string | null = null;
  let preview: NoticePreview | null = null;
  let previewError: string | null = null;
  if (selectionUsable) {
    const target = { incidentId: incident.id, template: query.template, language: query.language, customerIds };
    try {
      plan = await planNotices(target);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      planError = translateDomainError(language, error);
    }
    const previewId = await pickPreviewCustomer(incident.id, query.preview, customerIds ?? []);
    if (previewId) {
      try {
        preview = await previewNotice({ ...target, customerId: previewId });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        previewError = translateDomainError(language, error);
      }
    }
  }
  const campaigns = await loadIncidentNoticeProgress(incident.id);
  return {
    query,
    incidents,
    incident,
    templates,
    viewer,
    selection,
    plan: plan ? { ...plan, planError: null } : planError ? { planError } : null,
    preview: preview ? { ...preview, error: null } : previewError ? { error: previewError } : null,
    campaigns,
  };
}

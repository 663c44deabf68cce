// English strings for the audit trail (the reference: keys are typed from this file). Export files keep their
// canonical column names (seq, occurred_at, …): the offline verifier reads them, so they are not translated.
export default {
  pageTitle: "Audit trail",
  title: "Audit trail",
  intro:
    "Who did what to whom, when, why, and whether it was allowed. Times are Japan time (JST). Opening this page is itself recorded.",
  integrityLink: "Integrity & signed checkpoints",
  filterErrors: "These filters cannot be applied:",
  pages: "Pages",
  newer: "← Newer",
  older: "Older →",
  exportsCompliance: "Exports of the audit trail are limited to the Compliance role.",
  export: {
    title: "Export these events",
    intro:
      "Every event matching the filters up to row {{through}} (the newest row when this page loaded), oldest first. Each export is recorded in the audit trail. Verify a download offline with the public key on the <integrityLink>integrity page</integrityLink>.",
    csv: "Download CSV",
    manifest: "CSV manifest",
    jsonl: "Download JSON Lines (manifest included)",
  },
  filter: {
    label: "Filter the audit trail",
    from: "From",
    to: "To",
    inclusive: "inclusive",
    exclusive: "exclusive",
    actor: "Actor",
    actorPlaceholder: "staff email or actor id",
    role: "Role",
    action: "Action",
    targetType: "Target type",
    targetId: "Target ID",
    outcome: "Outcome",
    incident: "Incident",
    reason: "Reason contains",
    reasonPlaceholder: "at least 2 characters",
    any: "Any",
    apply: "Apply filters",
    clear: "Clear",
  },
};

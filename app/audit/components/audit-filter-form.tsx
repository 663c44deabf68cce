// The audit view's filter form: a plain GET form, so every filtered view is a URL that can be bookmarked, shared with a
// colleague and exported. Times are entered in Japan time; the server converts them to UTC.
import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { JstDateTimeInput } from "~/components/jst-date-time-input";
import { AUDIT_OUTCOMES, AUDIT_ROLES } from "~/audit/audit-filter";
import { AUDIT_ACTIONS, auditActionName } from "~/audit/action-names";
import { isLanguage } from "~/i18n/config";

export interface FilterChoicesView {
  actions: string[];
  targetTypes: string[];
  incidents: { id: string; code: string; title: string }[];
}

function TextField(props: { name: string; label: string; value?: string; placeholder?: string; list?: string }) {
  return (
    <label className="block">
      <span className="label">{props.label}</span>
      <input
        className="input mt-1"
        type="text"
        name={props.name}
        defaultValue={props.value ?? ""}
        placeholder={props.placeholder}
        list={props.list}
        autoComplete="off"
      />
    </label>
  );
}

function SelectField(props: {
  name: string;
  label: string;
  value?: string;
  options: { value: string; label: string }[];
}) {
  const { t } = useTranslation("audit");
  return (
    <label className="block">
      <span className="label">{props.label}</span>
      <select className="input mt-1" name={props.name} defaultValue={props.value ?? ""}>
        <option value="">{t("filter.any")}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function TimeField(props: { name: string; label: string; value?: string; hint: string }) {
  return (
    <label className="block">
      <span className="label">
        {props.label} <span className="font-normal text-slate-500">(JST, {props.hint})</span>
      </span>
      <JstDateTimeInput name={props.name} defaultValue={props.value ?? ""} />
    </label>
  );
}

export function AuditFilterForm({ values, choices }: { values: Record<string, string>; choices: FilterChoicesView }) {
  const { t, i18n } = useTranslation("audit");
  const language = isLanguage(i18n.language) ? i18n.language : undefined;
  const actionChoices = [...new Set([...AUDIT_ACTIONS, ...choices.actions])].sort();
  const incidentOptions = choices.incidents.map((i) => ({ value: i.code, label: `${i.code} — ${i.title}` }));
  // Keep a typed incident id that is not in the list selectable, so the form shows what is applied.
  if (values.incident && !incidentOptions.some((o) => o.value === values.incident)) {
    incidentOptions.push({ value: values.incident, label: values.incident });
  }
  return (
    <Form method="get" className="card space-y-4" aria-label={t("filter.label")}>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <TimeField name="from" label={t("filter.from")} value={values.from} hint={t("filter.inclusive")} />
        <TimeField name="to" label={t("filter.to")} value={values.to} hint={t("filter.exclusive")} />
        <TextField
          name="actor"
          label={t("filter.actor")}
          value={values.actor}
          placeholder={t("filter.actorPlaceholder")}
        />
        <SelectField
          name="role"
          label={t("filter.role")}
          value={values.role}
          options={AUDIT_ROLES.map((r) => ({ value: r, label: t(`filter.roles.${r}`) }))}
        />
        <TextField
          name="action"
          label={t("filter.action")}
          value={values.action}
          placeholder={t("filter.actionPlaceholder")}
          list="audit-actions"
        />
        <TextField
          name="targetType"
          label={t("filter.targetType")}
          value={values.targetType}
          placeholder="customer"
          list="audit-target-types"
        />
        <TextField name="targetId" label={t("filter.targetId")} value={values.targetId} />
        <SelectField
          name="outcome"
          label={t("filter.outcome")}
          value={values.outcome}
          options={AUDIT_OUTCOMES.map((o) => ({ value: o, label: t(`table.outcomes.${o}`) }))}
        />
        <SelectField name="incident" label={t("filter.incident")} value={values.incident} options={incidentOptions} />
        <TextField name="q" label={t("filter.reason")} value={values.q} placeholder={t("filter.reasonPlaceholder")} />
      </div>
      {/* Every action the console records and every code found in the trail (an older release's too), each with its
          name: the field still takes a code or a prefix (ledger.*), which is what the filter matches. */}
      <datalist id="audit-actions">
        {actionChoices.map((code) => (
          <option key={code} value={code}>
            {auditActionName(code, language) ?? code}
          </option>
        ))}
      </datalist>
      <datalist id="audit-target-types">
        {choices.targetTypes.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <div className="flex gap-3">
        <button type="submit" className="btn-primary">
          {t("filter.apply")}
        </button>
        <Link to="/audit" className="btn-secondary">
          {t("filter.clear")}
        </Link>
      </div>
    </Form>
  );
}

// Every namespace in both languages. One namespace per capability, so engineers adding pages do not edit the same file;
// a new capability adds its pair of files here and to NAMESPACES.
import enAccounts from "~/i18n/locales/en/accounts";
import enAdmin from "~/i18n/locales/en/admin";
import enApprovals from "~/i18n/locales/en/approvals";
import enAudit from "~/i18n/locales/en/audit";
import enAuth from "~/i18n/locales/en/auth";
import enCohorts from "~/i18n/locales/en/cohorts";
import enCommand from "~/i18n/locales/en/command";
import enCommon from "~/i18n/locales/en/common";
import enDetect from "~/i18n/locales/en/detect";
import enErrors from "~/i18n/locales/en/errors";
import enIncidents from "~/i18n/locales/en/incidents";
import enJobs from "~/i18n/locales/en/jobs";
import enKillswitch from "~/i18n/locales/en/killswitch";
import enNotify from "~/i18n/locales/en/notify";
import enRecovery from "~/i18n/locales/en/recovery";
import enReversals from "~/i18n/locales/en/reversals";
import enRisk from "~/i18n/locales/en/risk";
import enSearch from "~/i18n/locales/en/search";
import enValidation from "~/i18n/locales/en/validation";
import jaAccounts from "~/i18n/locales/ja/accounts";
import jaAdmin from "~/i18n/locales/ja/admin";
import jaApprovals from "~/i18n/locales/ja/approvals";
import jaAudit from "~/i18n/locales/ja/audit";
import jaAuth from "~/i18n/locales/ja/auth";
import jaCohorts from "~/i18n/locales/ja/cohorts";
import jaCommand from "~/i18n/locales/ja/command";
import jaCommon from "~/i18n/locales/ja/common";
import jaDetect from "~/i18n/locales/ja/detect";
import jaErrors from "~/i18n/locales/ja/errors";
import jaIncidents from "~/i18n/locales/ja/incidents";
import jaJobs from "~/i18n/locales/ja/jobs";
import jaKillswitch from "~/i18n/locales/ja/killswitch";
import jaNotify from "~/i18n/locales/ja/notify";
import jaRecovery from "~/i18n/locales/ja/recovery";
import jaReversals from "~/i18n/locales/ja/reversals";
import jaRisk from "~/i18n/locales/ja/risk";
import jaSearch from "~/i18n/locales/ja/search";
import jaValidation from "~/i18n/locales/ja/validation";

// English is the reference: keys are typed from it (see i18next.d.ts), and each Japanese file must match its shape.
export const en = {
  accounts: enAccounts,
  admin: enAdmin,
  approvals: enApprovals,
  audit: enAudit,
  auth: enAuth,
  cohorts: enCohorts,
  command: enCommand,
  common: enCommon,
  detect: enDetect,
  errors: enErrors,
  incidents: enIncidents,
  jobs: enJobs,
  killswitch: enKillswitch,
  notify: enNotify,
  recovery: enRecovery,
  reversals: enReversals,
  risk: enRisk,
  search: enSearch,
  validation: enValidation,
};

export const ja = {
  accounts: jaAccounts,
  admin: jaAdmin,
  approvals: jaApprovals,
  audit: jaAudit,
  auth: jaAuth,
  cohorts: jaCohorts,
  command: jaCommand,
  common: jaCommon,
  detect: jaDetect,
  errors: jaErrors,
  incidents: jaIncidents,
  jobs: jaJobs,
  killswitch: jaKillswitch,
  notify: jaNotify,
  recovery: jaRecovery,
  reversals: jaReversals,
  risk: jaRisk,
  search: jaSearch,
  validation: jaValidation,
} satisfies Record<keyof typeof en, unknown>;

export type Namespace = keyof typeof en;
export const NAMESPACES = Object.keys(en) as Namespace[];

export const resources = { en, ja };

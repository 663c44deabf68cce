// The named queries behind every figure a breach report quotes. Their text is shown next to the figure (the report
// links each figure to its query) and is exactly what app/incidents/breach-report/report-figures.server.ts runs. The
// definitions of stolen and reversed money are the dashboard's (app/incidents/command/figures.server.ts).
export interface FigureQuery {
  key: string;
  ja: string;
  en: string;
  unit: "yen" | "count" | "time";
  /** One parameter, $1 = the incident's id; "since the incident opened" reads its opened_at. */
  sql: string;
}

const VICTIMS = "SELECT customer_id FROM incident_case WHERE incident_id = $1::uuid";
const OPENED = "(SELECT opened_at FROM incident WHERE id = $1::uuid)";
const STOLEN = `SELECT t.id, t.amount, t.occurred_at FROM ledger_transaction t
   WHERE t.customer_id IN (${VICTIMS}) AND t.kind = 'TOP_UP' AND t.occurred_at >= ${OPENED}`;

export const FIGURE_QUERIES: readonly FigureQuery[] = [
  {
    key: "persons",
    ja: "影響を受けた本人の数",
    en: "Persons affected",
    unit: "count",
    sql: "SELECT COUNT(*) AS value FROM incident_case WHERE incident_id = $1::uuid",
  },
  {
    key: "firstFraudulentTopUp",
    ja: "最初の不正チャージ",
    en: "First fraudulent top-up",
    unit: "time",
    sql: `SELECT MIN(occurred_at) AS value FROM (${STOLEN}) stolen`,
  },
  {
    key: "stolenYen",
    ja: "不正チャージ額",
    en: "Money stolen (fraudulent top-ups)",
    unit: "yen",
    sql: `SELECT COALESCE(SUM(amount), 0) AS value FROM (${STOLEN}) stolen`,
  },
  {
    key: "reversedYen",
    ja: "返金（取消）済み額",
    en: "Money returned (reversed top-ups)",
    unit: "yen",
    sql: `SELECT COALESCE(SUM(r.amount), 0) AS value FROM ledger_transaction r
   JOIN (${STOLEN}) stolen ON stolen.id = r.reverses_id WHERE r.kind = 'REVERSAL'`,
  },
  {
    key: "frozenAccounts",
    ja: "凍結・保護したアカウント",
    en: "Accounts frozen or marked compromised",
    unit: "count",
    sql: `SELECT COUNT(*) AS value FROM customer WHERE id IN (${VICTIMS}) AND status IN ('FROZEN', 'COMPROMISED')`,
  },
  {
    key: "passwordResets",
    ja: "パスワードを強制リセットした本人",
    en: "Persons whose password was reset by staff",
    unit: "count",
    sql: `SELECT COUNT(DISTINCT customer_id) AS value FROM password_reset_token
   WHERE customer_id IN (${VICTIMS}) AND origin = 'STAFF_FORCED' AND created_at >= ${OPENED}`,
  },
  {
    key: "noticesSent",
    ja: "本人への通知（送信済み）",
    en: "Notices sent to the persons",
    unit: "count",
    sql: "SELECT COUNT(DISTINCT customer_id) AS value FROM outbound_message WHERE incident_id = $1::uuid AND status = 'SENT'",
  },
  {
    key: "switchesEngaged",
    ja: "停止した機能（キルスイッチ）",
    en: "Kill-switch engagements",
    unit: "count",
    sql: `SELECT COUNT(*) AS value FROM kill_switch_change WHERE kind = 'ENGAGE' AND occurred_at >= ${OPENED}`,
  },
];

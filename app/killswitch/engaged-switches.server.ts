// The engaged kill switches, for the banner every signed-in page shows. Every page also checks the session, so they are
// read as a column of the session check's one statement (app/auth/session.server.ts): one round trip fewer per page
// (docs/decisions/060-cheaper-statements-per-request.md), and still read fresh on every page.

export interface EngagedSwitch {
  key: string;
  label: string;
  changedAt: Date | null;
}

/** SQL: the engaged switches as one JSON array, by key. */
export const ENGAGED_SWITCHES_COLUMN = `(SELECT COALESCE(json_agg(json_build_object('key', k.key, 'label', k.label,
            'changedAt', k.changed_at) ORDER BY k.key), '[]'::json) FROM kill_switch k WHERE k.engaged)`;

/** ENGAGED_SWITCHES_COLUMN's rows: inside JSON a timestamp is an ISO string. */
export type EngagedSwitchRow = { key: string; label: string; changedAt: string | null };

export function engagedSwitchesOf(rows: EngagedSwitchRow[]): EngagedSwitch[] {
  return rows.map((row) => ({
    key: row.key,
    label: row.label,
    changedAt: row.changedAt === null ? null : new Date(row.changedAt),
  }));
}

import type { HistoryRow } from '../store/history.js';

/** The columns of an export, in order: the masked number only, and no recording link. */
const COLUMNS: [string, (row: HistoryRow) => string | number | undefined][] = [
  ['requested_at', (row) => new Date(row.requestedAt).toISOString()],
  ['id', (row) => row.id],
  ['kind', (row) => row.kind],
  ['source', (row) => row.source],
  ['target', (row) => row.target],
  ['phone', (row) => row.phone],
  ['origin', (row) => row.origin],
  ['state', (row) => row.state],
  ['scheduled_for', (row) => iso(row.scheduledFor)],
  ['dialled_at', (row) => iso(row.dialledAt)],
  ['reported_at', (row) => iso(row.reportedAt)],
  ['ended_at', (row) => iso(row.endedAt)],
  ['talk_seconds', (row) => row.talkSeconds],
  ['status', (row) => row.statuses?.status],
  ['status1', (row) => row.statuses?.status1],
  ['status2', (row) => row.statuses?.status2],
  ['hangup_by', (row) => row.statuses?.hangup_by],
  ['refusal', (row) => row.refusal],
];

function iso(at: number | undefined): string | undefined {
  return at === undefined ? undefined : new Date(at).toISOString();
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A value a
 * spreadsheet would run as a formula (`=`, `@`, `-`, a tab…) is kept as text with a
 * leading `'`; a masked number's `+91 …` is left as it is.
 */
export function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  let text = String(value);
  if (/^[=@\t\r-]/.test(text) || /^\+\D/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The header line of an export. */
export const CSV_HEADER = COLUMNS.map(([name]) => name).join(',') + '\r\n';

/** A row as a line of an export. */
export function csvLine(row: HistoryRow): string {
  return COLUMNS.map(([, read]) => csvField(read(row))).join(',') + '\r\n';
}

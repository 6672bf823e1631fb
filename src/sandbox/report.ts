import type { LegStatuses } from './outcomes.js';

/** One Click2Call request as the sandbox accepted it. */
export interface AcceptedCall {
  bridge: string;
  from: string;
  to: string;
  record: boolean;
  webhookId?: string;
  mid?: string;
}

/**
 * Formats epoch milliseconds the way Mobtexting's reports do: `YYYY-MM-DD HH:mm:ss` in
 * India Standard Time.
 */
export function mobtextingTime(ms: number): string {
  return new Date(ms + 5.5 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

// The document's example sends numbers as bare JSON numbers; a flow stays a string.
const asDocumented = (value: string): number | string => (/^\d{1,15}$/.test(value) ? Number(value) : value);

/**
 * The completion webhook body, shaped exactly like the document's example: `bridge`,
 * `from`, `to` as bare numbers, `duration`, `billing`, `unixtime` as strings.
 */
export function buildReport(
  call: AcceptedCall,
  statuses: LegStatuses,
  startedAt: number,
  endedAt: number,
): Record<string, unknown> {
  const firstLegSeconds = statuses.status1 === 'ANSWER' ? Math.round((endedAt - startedAt) / 1000) : 0;
  const secondLegAnswered = statuses.status2 === 'ANSWER' || statuses.status2 === 'RECEIVED';
  const secondLegSeconds = secondLegAnswered ? Math.max(firstLegSeconds - 3, 0) : 0;
  return {
    ...(call.webhookId !== undefined && { webhook_id: call.webhookId }),
    bridge: asDocumented(call.bridge),
    from: asDocumented(call.from),
    to: asDocumented(call.to),
    source: 'C2C',
    start_at: mobtextingTime(startedAt),
    end_at: mobtextingTime(endedAt),
    date: mobtextingTime(endedAt),
    unixtime: String(Math.floor(endedAt / 1000)),
    duration: String(firstLegSeconds),
    billing: String(secondLegSeconds),
    status: statuses.status,
    status1: statuses.status1,
    status2: statuses.status2,
    recording_url:
      call.record && secondLegAnswered ? `https://recordings.sandbox.invalid/${call.mid ?? 'call'}.mp3` : '',
    hangup_by: statuses.status === 'CANCEL' ? 'caller' : secondLegAnswered ? 'agent' : 'caller',
  };
}

/** How the console writes times, durations and states. */

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export const formatTime = (at: number | undefined): string => (at === undefined ? '—' : time.format(at));
export const formatClock = (at: number): string => timeOfDay.format(at);

/** Seconds as `1 min 05 s`. */
export function formatSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return '—';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}

/** What each state is called on the page. */
export const STATE_LABELS: Record<string, string> = {
  scheduled: 'Scheduled',
  initiated: 'Ringing',
  completed: 'Connected',
  busy: 'Busy',
  'no-answer': 'No answer',
  canceled: 'Canceled',
  unreachable: 'Unreachable',
  'agent-unavailable': 'Nobody answered',
  failed: 'Failed',
  unknown: 'No report',
  missed: 'Missed',
  refused: 'Refused',
};

export const SOURCE_LABELS: Record<string, string> = {
  page: 'Page',
  ticket: 'CRM ticket',
  retry: 'Redial',
  booking: 'Booking',
};

/** The colour of each state, in charts and badges (readable on light and dark). */
export const STATE_COLOURS: Record<string, string> = {
  completed: '#1f9d55',
  busy: '#e07b00',
  'no-answer': '#c9a000',
  canceled: '#8a8f98',
  unreachable: '#8e44ad',
  'agent-unavailable': '#d64541',
  failed: '#8b1e1e',
  unknown: '#5b6b7c',
  missed: '#a0522d',
  refused: '#c2185b',
  initiated: '#2f6fdb',
  scheduled: '#138a8a',
};

export const stateLabel = (state: string): string => STATE_LABELS[state] ?? state;
export const sourceLabel = (source: string): string => SOURCE_LABELS[source] ?? source;

/** A refusal's reason as a sentence's start: `rate_limited:address` → `Rate limit (address)`. */
export function reasonLabel(reason: string): string {
  const [code = reason, scope] = reason.split(':');
  const words: Record<string, string> = {
    rate_limited: 'Rate limit',
    origin_not_allowed: 'Origin refused',
    number_not_allowed: 'Number type refused',
    country_not_allowed: 'Country refused',
    invalid_phone: 'Invalid number',
    call_in_progress: 'Already in a call',
    human_check_failed: 'Human check failed',
    invalid_ticket: 'Bad ticket',
    unauthorized: 'Unauthorized',
  };
  const label = words[code] ?? code.replace(/_/g, ' ');
  return scope ? `${label} (${scope})` : label;
}

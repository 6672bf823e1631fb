// A week of made-up calls for the demo's console (`DEMO_SAMPLE_HISTORY=1 npm start`), so
// its charts have something to show before anyone has called: varied outcomes through the
// day, a few bookings, and refusals of each kind. Every row is masked like a real one.
import type { CallHistory, HistoryChange } from '../src/relay/store/history.js';

const HOUR = 3600_000;
const OUTCOMES: [string, number][] = [
  ['completed', 0.62],
  ['agent-unavailable', 0.1],
  ['no-answer', 0.1],
  ['busy', 0.08],
  ['unreachable', 0.04],
  ['canceled', 0.03],
  ['unknown', 0.02],
  ['failed', 0.01],
];
const REFUSALS = [
  'rate_limited:address',
  'origin_not_allowed',
  'number_not_allowed:premium-rate',
  'rate_limited:number',
];

/** A repeatable random number generator, so the demo looks the same each time. */
function random(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function pick(roll: number): string {
  let sum = 0;
  for (const [outcome, share] of OUTCOMES) if (roll < (sum += share)) return outcome;
  return 'completed';
}

/** Writes the sample into a store that keeps history. */
export async function seedSampleHistory(store: CallHistory, now = Date.now()): Promise<number> {
  const next = random(7);
  const keepUntil = now + 90 * 24 * HOUR;
  let written = 0;
  for (let hour = 7 * 24; hour >= 1; hour--) {
    const at = now - hour * HOUR;
    const local = new Date(at).getHours();
    const busyHour = local >= 9 && local < 20;
    const calls = Math.round(next() * (busyHour ? 5 : 1));
    for (let i = 0; i < calls; i++) {
      const requestedAt = at + Math.floor(next() * HOUR);
      const state = pick(next());
      const reportedAt = state === 'unknown' ? undefined : requestedAt + 20_000 + Math.floor(next() * 400_000);
      const digits = String(100 + Math.floor(next() * 900));
      const change: HistoryChange = {
        id: `00000000-0000-4000-a000-${String(requestedAt).padStart(12, '0').slice(-12)}`,
        kind: 'call',
        source: next() < 0.25 ? 'ticket' : 'page',
        target: next() < 0.8 ? 'sales' : 'otp-ivr',
        phone: `+91 98••• ••${digits}`,
        origin: 'http://localhost:8787',
        requestedAt,
        dialledAt: requestedAt + 400,
        state: state as HistoryChange['state'],
        ...(reportedAt !== undefined && { reportedAt }),
        endedAt: reportedAt ?? requestedAt + 20 * 60_000,
        ...(state === 'completed' && { talkSeconds: 30 + Math.floor(next() * 400) }),
        step: { state: state as HistoryChange['state'], at: reportedAt ?? requestedAt + 20 * 60_000 },
        keepUntil,
      };
      await store.recordHistory(change);
      written++;
    }
    const refusals = Math.floor(next() * next() * 6);
    if (refusals > 0) {
      await store.countRefusals([
        { reason: REFUSALS[Math.floor(next() * REFUSALS.length)]!, at, count: refusals, keepUntil },
      ]);
    }
  }
  return written;
}

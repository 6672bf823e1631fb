import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { targetsSchema } from '../../src/relay/config/targets.js';
import { validate } from '../../src/relay/config/settings.js';
import { loadServerConfig } from '../../src/relay/node/env-config.js';
import { parseDays } from '../../src/relay/scheduling/hours.js';
import { MAX_SLOTS, TargetSchedule } from '../../src/relay/scheduling/schedule.js';

/** The schedule of one target as configured. */
function schedule(target: Record<string, unknown>): TargetSchedule {
  const parsed = validate(targetsSchema, { t: { to: '918046000100', ...target } });
  if (!parsed.ok) assert.fail(parsed.problems.join('\n'));
  const { hours, holidays, slots } = parsed.value.t!;
  return new TargetSchedule(hours, holidays, slots);
}

const at = (iso: string) => Date.parse(iso);
const isos = (instants: readonly number[]) => instants.map((i) => new Date(i).toISOString());

describe('business hours as written', () => {
  it('names days singly, in ranges, in lists, and across the weekend', () => {
    assert.deepEqual(parseDays('mon-fri'), [1, 2, 3, 4, 5]);
    assert.deepEqual(parseDays('sat,sun'), [6, 0]);
    assert.deepEqual(parseDays('fri-mon'), [5, 6, 0, 1]);
    assert.deepEqual(parseDays('Sun'), [0]);
    for (const wrong of ['xyz', 'mon-', 'mon-tue-wed', '']) assert.equal(parseDays(wrong), undefined, wrong);
  });

  it('are checked at start, one line per problem, naming the variable and the setting', () => {
    const loaded = loadServerConfig({
      MT_TARGETS: JSON.stringify({
        sales: {
          to: '918046000100',
          hours: {
            timezone: 'Asia/Kolkatta',
            'mon-fri': '09:00-13:00,12:00-18:00',
            weekdays: '09:00-17:00',
            sat: '18:00-09:00',
            sun: '9-5',
          },
          slots: { minutes: 7, daysAhead: 3, perSlot: 0 },
          retry: { after: '10 minutes', on: ['completed'], max: 5 },
        },
        support: { to: '918046000200', holidays: ['2026-02-30'], slots: { minutes: 15 } },
      }),
    });
    assert.equal(loaded.ok, false);
    assert.deepEqual(!loaded.ok && loaded.problems, [
      'MT_TARGETS (sales.hours.timezone): "Asia/Kolkatta" is not a known IANA time zone (such as Asia/Kolkata or Europe/London)',
      'MT_TARGETS (sales.hours.weekdays): "weekdays" is not a day or days like mon, mon-fri or sat,sun',
      'MT_TARGETS (sales.hours.sat): "18:00-09:00" ends before it starts: write a night as two days (mon: 22:00-24:00, tue: 00:00-06:00)',
      'MT_TARGETS (sales.hours.sun): "9-5" is not a time range like 09:30-18:30',
      'MT_TARGETS (sales.hours): 09:00-13:00 and 12:00-18:00 overlap (mon, tue, wed, thu, fri)',
      'MT_TARGETS (sales.slots.minutes): 7 does not divide the hour: use one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60',
      'MT_TARGETS (sales.slots.perSlot): must be at least 1',
      'MT_TARGETS (sales.retry.after): "10 minutes" must be a delay like 10m, from 1m to 24h',
      'MT_TARGETS (sales.retry.on): must name outcomes among agent-unavailable, no-answer, busy, unreachable, failed',
      'MT_TARGETS (sales.retry.max): must be at most 3',
      'MT_TARGETS (support.holidays): "2026-02-30" is not a date like 2026-12-25',
      'MT_TARGETS (support.holidays): need hours: their time zone',
      'MT_TARGETS (support.slots): need hours: slots lie within them',
    ]);
  });

  it('refuse slots none of which fits in the hours', () => {
    const parsed = validate(targetsSchema, {
      t: { to: '918046000100', hours: { timezone: 'UTC', mon: '09:30-10:15' }, slots: { minutes: 60 } },
    });
    assert.deepEqual(!parsed.ok && parsed.problems, ['t.slots: no 60-minute slot fits in the hours']);
  });
});

describe('when a target answers', () => {
  // Mon-Fri 09:30-18:30 and Sat 10:00-14:00 in India (no daylight saving), a holiday on Monday 30 November.
  const kolkata = schedule({
    hours: { timezone: 'Asia/Kolkata', 'mon-fri': '09:30-18:30', sat: '10:00-14:00' },
    holidays: ['2026-11-30'],
    slots: { minutes: 15, daysAhead: 3, perSlot: 4 },
  });

  it('is open within its hours, in its own time zone, and closed outside them', () => {
    assert.equal(kolkata.isOpen(at('2026-11-27T04:00:00Z')), true, 'Friday 09:30 IST');
    assert.equal(kolkata.isOpen(at('2026-11-27T03:59:59Z')), false, 'Friday 09:29:59 IST');
    assert.equal(kolkata.isOpen(at('2026-11-27T13:00:00Z')), false, 'Friday 18:30 IST: the end is not included');
    assert.equal(kolkata.isOpen(at('2026-11-29T06:00:00Z')), false, 'Sunday');
  });

  it('is closed all day on a holiday, and says when it opens next', () => {
    assert.equal(kolkata.isOpen(at('2026-11-30T06:00:00Z')), false, 'Monday 11:30 IST, a holiday');
    const view = kolkata.view(at('2026-11-28T10:00:00Z')); // Saturday 15:30 IST
    assert.equal(view.open, false);
    assert.equal(view.opensAt, at('2026-12-01T04:00:00Z'), 'Tuesday 09:30 IST');
    assert.equal(view.closesAt, at('2026-12-01T13:00:00Z'), 'then Tuesday 18:30 IST');
  });

  it('says when it closes while open, and when it opens after that', () => {
    const view = kolkata.view(at('2026-11-27T06:00:00Z')); // Friday 11:30 IST
    assert.equal(view.open, true);
    assert.equal(view.closesAt, at('2026-11-27T13:00:00Z'));
    assert.equal(view.opensAt, at('2026-11-28T04:30:00Z'), 'Saturday 10:00 IST');
  });

  it('offers slots on the clock’s quarter hours, within its hours, up to daysAhead days', () => {
    const slots = kolkata.view(at('2026-11-27T12:10:00Z')).slots; // Friday 17:40 IST
    assert.deepEqual(isos(slots.slice(0, 4)), [
      '2026-11-27T12:15:00.000Z', // 17:45 IST
      '2026-11-27T12:30:00.000Z', // 18:00
      '2026-11-27T12:45:00.000Z', // 18:15, the last that ends by 18:30
      '2026-11-28T04:30:00.000Z', // Saturday 10:00
    ]);
    // Friday: 3, Saturday: 16, Sunday and the Monday holiday: none (Monday is the third day ahead).
    assert.equal(slots.length, 19);
    assert.equal(kolkata.isSlot(at('2026-11-28T04:30:00Z'), at('2026-11-27T12:10:00Z')), true);
    assert.equal(kolkata.isSlot(at('2026-11-28T04:35:00Z'), at('2026-11-27T12:10:00Z')), false, 'not on the quarter');
    assert.equal(kolkata.isSlot(at('2026-12-01T04:00:00Z'), at('2026-11-27T12:10:00Z')), false, 'too far ahead');
  });

  it('joins a night across midnight into one opening', () => {
    const nights = schedule({
      hours: { timezone: 'Asia/Kolkata', 'mon-fri': '22:00-24:00', 'tue-sat': '00:00-06:00' },
    });
    const view = nights.view(at('2026-11-23T18:00:00Z')); // Monday 23:30 IST
    assert.equal(view.open, true);
    assert.equal(view.closesAt, at('2026-11-24T00:30:00Z'), 'Tuesday 06:00 IST, not midnight');
  });

  it('is open for now, with no closing in sight, when it never closes', () => {
    const always = schedule({ hours: { timezone: 'Asia/Kolkata', 'mon-sun': '00:00-24:00' } });
    assert.deepEqual(always.view(at('2026-11-27T06:00:00Z')), { open: true, slots: [] });
  });

  it('is always open, in UTC, without hours', () => {
    const anytime = schedule({});
    assert.equal(anytime.timezone, 'UTC');
    assert.deepEqual(anytime.view(at('2026-11-29T06:00:00Z')), { open: true, slots: [] });
    assert.equal(anytime.openFrom(at('2026-11-29T06:00:00Z')), at('2026-11-29T06:00:00Z'));
  });

  it('finds the first open moment from a time on', () => {
    assert.equal(kolkata.openFrom(at('2026-11-27T06:00:00Z')), at('2026-11-27T06:00:00Z'), 'open: at once');
    assert.equal(kolkata.openFrom(at('2026-11-27T13:05:00Z')), at('2026-11-28T04:30:00Z'), 'after hours: next opening');
  });

  it('offers at most a bounded number of slots', () => {
    const busy = schedule({
      hours: { timezone: 'UTC', 'mon-sun': '00:00-24:00' },
      slots: { minutes: 1, daysAhead: 3 },
    });
    assert.equal(busy.view(at('2026-11-27T06:00:30Z')).slots.length, MAX_SLOTS);
    assert.equal(busy.view(at('2026-11-27T06:00:30Z')).slots[0], at('2026-11-27T06:01:00Z'));
  });

  it('works a minute out once', () => {
    const now = at('2026-11-27T06:00:10Z');
    assert.equal(kolkata.view(now), kolkata.view(now + 40_000), 'the same minute: the same answer');
    assert.notEqual(kolkata.view(now), kolkata.view(now + 60_000));
  });
});

describe('daylight-saving changes', () => {
  it('London, spring: opening hours follow the local clock, and 01:00-02:00 has no slot', () => {
    const office = schedule({ hours: { timezone: 'Europe/London', 'mon-fri': '09:00-17:00' } });
    assert.equal(office.view(at('2026-03-26T20:00:00Z')).opensAt, at('2026-03-27T09:00:00Z'), 'Friday 09:00 GMT');
    assert.equal(office.view(at('2026-03-28T12:00:00Z')).opensAt, at('2026-03-30T08:00:00Z'), 'Monday 09:00 BST');
    const night = schedule({ hours: { timezone: 'Europe/London', sun: '00:00-03:00' }, slots: { minutes: 30 } });
    assert.deepEqual(isos(night.view(at('2026-03-28T23:00:00Z')).slots), [
      '2026-03-29T00:00:00.000Z', // 00:00 GMT
      '2026-03-29T00:30:00.000Z', // 00:30 GMT; 01:00 and 01:30 never happen
      '2026-03-29T01:00:00.000Z', // 02:00 BST
      '2026-03-29T01:30:00.000Z', // 02:30 BST
    ]);
  });

  it('London, autumn: the hour that happens twice is offered once', () => {
    const night = schedule({ hours: { timezone: 'Europe/London', sun: '00:00-03:00' }, slots: { minutes: 30 } });
    assert.deepEqual(isos(night.view(at('2026-10-24T23:40:00Z')).slots), [
      '2026-10-25T00:00:00.000Z', // 01:00 BST
      '2026-10-25T00:30:00.000Z', // 01:30 BST
      '2026-10-25T02:00:00.000Z', // 02:00 GMT: 01:00 and 01:30 GMT come again, and are not offered twice
      '2026-10-25T02:30:00.000Z', // 02:30 GMT
    ]);
    assert.equal(night.isOpen(at('2026-10-25T01:15:00Z')), true, '01:15 GMT, the second time round');
  });

  it('New York, spring: 02:00-03:00 is skipped, the day’s opening moves an hour in UTC', () => {
    const night = schedule({ hours: { timezone: 'America/New_York', sun: '01:00-04:00' }, slots: { minutes: 30 } });
    assert.deepEqual(isos(night.view(at('2026-03-08T05:00:00Z')).slots), [
      '2026-03-08T06:00:00.000Z', // 01:00 EST
      '2026-03-08T06:30:00.000Z', // 01:30 EST
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-08T07:30:00.000Z', // 03:30 EDT
    ]);
    assert.equal(night.view(at('2026-03-08T05:00:00Z')).closesAt, at('2026-03-08T08:00:00Z'), '04:00 EDT');
    const office = schedule({ hours: { timezone: 'America/New_York', 'mon-fri': '09:00-17:00' } });
    assert.equal(office.view(at('2026-03-06T20:00:00Z')).closesAt, at('2026-03-06T22:00:00Z'), 'Friday 17:00 EST');
    assert.equal(office.view(at('2026-03-07T12:00:00Z')).opensAt, at('2026-03-09T13:00:00Z'), 'Monday 09:00 EDT');
  });

  it('New York, autumn: 01:00-02:00 happens twice and is offered once', () => {
    const night = schedule({ hours: { timezone: 'America/New_York', sun: '00:00-03:00' }, slots: { minutes: 30 } });
    assert.deepEqual(isos(night.view(at('2026-11-01T04:10:00Z')).slots), [
      '2026-11-01T04:30:00.000Z', // 00:30 EDT
      '2026-11-01T05:00:00.000Z', // 01:00 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T07:00:00.000Z', // 02:00 EST
      '2026-11-01T07:30:00.000Z', // 02:30 EST
    ]);
    assert.equal(night.view(at('2026-11-01T04:10:00Z')).closesAt, at('2026-11-01T08:00:00Z'), '03:00 EST');
  });
});

describe('mt-click-to-call/relay/scheduling', () => {
  it('reads a target’s schedule for a site’s own pages, with the relay’s checks', async () => {
    const { targetSchedule } = await import('../../src/relay/scheduling/index.js');
    const sales = targetSchedule({ hours: { timezone: 'Asia/Kolkata', 'mon-fri': '09:30-18:30' } });
    assert.equal(sales.isOpen(at('2026-11-27T06:00:00Z')), true);
    assert.throws(() => targetSchedule({ hours: { timezone: 'Mars/Olympus' }, slots: { minutes: 7 } }), {
      name: 'RelayConfigError',
      problems: [
        'hours.timezone: "Mars/Olympus" is not a known IANA time zone (such as Asia/Kolkata or Europe/London)',
        'slots.minutes: 7 does not divide the hour: use one of 1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60',
      ],
    });
  });
});

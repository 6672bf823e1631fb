/** A span of a day in minutes since midnight, start included, end not: `[570, 1110)` is 09:30-18:30. */
export type MinuteRange = readonly [start: number, end: number];

/** When a target answers, each day of the week, in one time zone. */
export interface WeeklyHours {
  /** An IANA time zone, e.g. `Asia/Kolkata`. */
  timezone: string;
  /** Open ranges for each weekday, Sunday first (as `Date#getUTCDay`), sorted, never overlapping. */
  week: readonly (readonly MinuteRange[])[];
}

/** The days as written in hours, Sunday first. */
export const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const TIME = '([01]\\d|2[0-3]):([0-5]\\d)';
const RANGE = new RegExp(`^${TIME}-(?:${TIME}|(24):(00))$`);

/** A problem with one key of an hours object (`''`: with the object as a whole). */
export interface HoursProblem {
  key: string;
  message: string;
}

/**
 * The weekdays a key of an hours object names: `mon`, `mon-fri`, `sat,sun`, or a range
 * across the weekend like `fri-mon`. Answers `undefined` for anything else.
 */
export function parseDays(key: string): number[] | undefined {
  const days: number[] = [];
  for (const item of key.toLowerCase().split(',')) {
    const [first, last = first, extra] = item.trim().split('-');
    const from = DAY_NAMES.indexOf(first as (typeof DAY_NAMES)[number]);
    const to = DAY_NAMES.indexOf(last as (typeof DAY_NAMES)[number]);
    if (from < 0 || to < 0 || extra !== undefined) return undefined;
    for (let day = from; ; day = (day + 1) % 7) {
      days.push(day);
      if (day === to) break;
    }
  }
  return days;
}

/** `09:30-13:00,14:00-18:30` as minute ranges (or `closed`: none); a sentence when it is not. */
export function parseRanges(text: string): { ranges: MinuteRange[] } | { problem: string } {
  if (text.trim().toLowerCase() === 'closed') return { ranges: [] };
  const ranges: MinuteRange[] = [];
  for (const item of text.split(',').map((part) => part.trim())) {
    const match = RANGE.exec(item);
    if (!match) return { problem: `"${item}" is not a time range like 09:30-18:30` };
    const [, h1, m1, h2 = match[5], m2 = match[6]] = match;
    const start = Number(h1) * 60 + Number(m1);
    const end = Number(h2) * 60 + Number(m2);
    if (end <= start) {
      return {
        problem: `"${item}" ends before it starts: write a night as two days (mon: 22:00-24:00, tue: 00:00-06:00)`,
      };
    }
    ranges.push([start, end]);
  }
  return { ranges };
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

/** A range as written: `09:30-18:30`. */
export const formatRange = ([start, end]: MinuteRange) => `${clock(start)}-${clock(end)}`;

/**
 * Reads the days of an hours object (every key but `timezone`): each key names days,
 * each value their ranges. A day may be named by several keys; its ranges must not
 * overlap. Ranges that touch (`09:00-12:00,12:00-13:00`) are one.
 */
export function parseWeek(spec: Record<string, string>): { week: MinuteRange[][] } | { problems: HoursProblem[] } {
  const week: MinuteRange[][] = DAY_NAMES.map(() => []);
  const problems: HoursProblem[] = [];
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'timezone') continue;
    const days = parseDays(key);
    if (!days) {
      problems.push({ key, message: `"${key}" is not a day or days like mon, mon-fri or sat,sun` });
      continue;
    }
    const parsed = parseRanges(value);
    if ('problem' in parsed) {
      problems.push({ key, message: parsed.problem });
      continue;
    }
    for (const day of days) week[day]!.push(...parsed.ranges);
  }
  // Ranges that overlap, with the days they overlap on: one problem for `mon-fri`, not five.
  const overlaps = new Map<string, string[]>();
  for (const [day, ranges] of week.entries()) {
    ranges.sort((a, b) => a[0] - b[0]);
    const merged: MinuteRange[] = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range[0] < last[1]) {
        const pair = `${formatRange(last)} and ${formatRange(range)}`;
        overlaps.set(pair, [...(overlaps.get(pair) ?? []), DAY_NAMES[day]!]);
      } else if (last && range[0] === last[1]) merged[merged.length - 1] = [last[0], range[1]];
      else merged.push(range);
    }
    week[day] = merged;
  }
  for (const [pair, days] of overlaps) problems.push({ key: '', message: `${pair} overlap (${days.join(', ')})` });
  return problems.length > 0 ? { problems } : { week };
}

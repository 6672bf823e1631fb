import type { MinuteRange, WeeklyHours } from './hours.js';
import { isoDate, weekdayOf, zoneClock, type ZoneClock } from './zone.js';

/** How a target offers callbacks: slots of `minutes`, up to `daysAhead` days ahead, `perSlot` bookings each. */
export interface SlotRules {
  minutes: number;
  daysAhead: number;
  perSlot: number;
}

/** The most slots offered at once, earliest first: enough for days of 15-minute slots. */
export const MAX_SLOTS = 500;

/** How far ahead the next opening is looked for. */
const OPENING_HORIZON_DAYS = 370;
/** How far ahead a closing is looked for: a target open longer than this is open "for now". */
const CLOSING_HORIZON_DAYS = 8;

/** Where a target stands at a minute. Times are epoch ms. */
export interface ScheduleView {
  open: boolean;
  /** The next opening after this minute, if it opens within a year (and closes within a week, when open). */
  opensAt?: number;
  /** When it closes: the end of the open hours it is in, or of the next ones when closed. */
  closesAt?: number;
  /** Slot starts after this minute, earliest first, at most {@link MAX_SLOTS}. */
  slots: readonly number[];
}

interface Interval {
  start: number;
  end: number;
  /** The interval runs on past the horizon searched: its end is not known. */
  cut: boolean;
}

/**
 * When a target answers and which callback slots it offers, in its own time zone:
 * weekly hours, holidays (whole local days closed) and slots. Slots start on the local
 * clock's multiples of their length (a 15-minute slot at :00, :15, :30, :45) and lie
 * wholly inside open hours. Across a daylight-saving change, a wall-clock time that
 * happens twice counts once (the first), and one that never happens has no slot.
 *
 * What a minute looks like is worked out once per minute and kept: it changes with the
 * minute, not with the request.
 */
export class TargetSchedule {
  readonly #hours: WeeklyHours | undefined;
  readonly #clock: ZoneClock | undefined;
  readonly #holidays: ReadonlySet<string>;
  readonly slots: SlotRules | undefined;
  #kept: { minute: number; view: ScheduleView; slots: ReadonlySet<number> } | undefined;

  constructor(hours?: WeeklyHours, holidays: Iterable<string> = [], slots?: SlotRules) {
    this.#hours = hours;
    this.#clock = hours && zoneClock(hours.timezone);
    this.#holidays = new Set(holidays);
    this.slots = slots;
  }

  /** The target's time zone (`UTC` for a target without hours, which is always open). */
  get timezone(): string {
    return this.#hours?.timezone ?? 'UTC';
  }

  /** Whether the target answers at an instant: within its hours, on a day that is not a holiday. */
  isOpen(at: number): boolean {
    if (!this.#hours) return true;
    const { day, minute } = this.#clock!.local(at);
    return this.#openDay(day) && this.#ranges(day).some(([start, end]) => minute >= start && minute < end);
  }

  /** The first instant from `at` on when the target is open (`at` itself if open); `undefined` if none in a year. */
  openFrom(at: number): number | undefined {
    if (this.isOpen(at)) return at;
    for (const interval of this.#intervals(at, OPENING_HORIZON_DAYS)) if (interval.start > at) return interval.start;
    return undefined;
  }

  /** Where the target stands during the minute of `now`. */
  view(now: number): ScheduleView {
    return this.#minute(now).view;
  }

  /** Whether `at` is the start of a slot on offer at `now`. */
  isSlot(at: number, now: number): boolean {
    return at > now && this.#minute(now).slots.has(at);
  }

  #minute(now: number) {
    const minute = Math.floor(now / 60_000) * 60_000;
    if (this.#kept?.minute !== minute) {
      const view = this.#compute(minute);
      this.#kept = { minute, view, slots: new Set(view.slots) };
    }
    return this.#kept;
  }

  #compute(at: number): ScheduleView {
    if (!this.#hours) return { open: true, slots: [] };
    const open = this.isOpen(at);
    let opensAt: number | undefined;
    let closesAt: number | undefined;
    const horizon = open ? CLOSING_HORIZON_DAYS : OPENING_HORIZON_DAYS;
    for (const interval of this.#intervals(at, horizon)) {
      if (interval.end <= at) continue;
      if (interval.start > at && opensAt === undefined) opensAt = interval.start;
      if (closesAt === undefined) closesAt = interval.cut ? undefined : interval.end;
      if (interval.cut || opensAt !== undefined) break;
    }
    return {
      open,
      ...(opensAt !== undefined && { opensAt }),
      ...(closesAt !== undefined && { closesAt }),
      slots: this.#slots(at),
    };
  }

  /** Slot starts after `at`, through the last day on offer. */
  #slots(at: number): number[] {
    if (!this.slots) return [];
    const { minutes, daysAhead } = this.slots;
    const clock = this.#clock!;
    const today = clock.local(at).day;
    const found: number[] = [];
    for (let day = today; day <= today + daysAhead && found.length < MAX_SLOTS; day++) {
      if (!this.#openDay(day)) continue;
      for (const [start, end] of this.#ranges(day)) {
        const first = Math.ceil(start / minutes) * minutes;
        const from = clock.instant(day, first);
        const to = clock.instant(day, end);
        // No change of offset inside the range: its slots are evenly spaced instants.
        const even = from !== undefined && to !== undefined && to - from === (end - first) * 60_000;
        for (let minute = first; minute + minutes <= end; minute += minutes) {
          const slot = even ? from + (minute - first) * 60_000 : clock.instant(day, minute);
          if (slot !== undefined && slot > at && slot + minutes * 60_000 <= (to ?? Infinity)) found.push(slot);
        }
      }
    }
    return found.sort((a, b) => a - b).slice(0, MAX_SLOTS);
  }

  /**
   * Open intervals as instants, earliest first, from the local day before `at` on, for
   * `days` days; intervals that touch (a night across midnight) are one.
   */
  *#intervals(at: number, days: number): Generator<Interval> {
    const clock = this.#clock!;
    const first = clock.local(at).day - 1;
    let pending: Interval | undefined;
    for (let day = first; day <= first + days; day++) {
      if (!this.#openDay(day)) continue;
      for (const [start, end] of this.#ranges(day)) {
        const from = this.#instantFrom(day, start);
        const to = this.#instantFrom(day, end);
        if (to <= from) continue;
        if (pending && from <= pending.end) pending.end = Math.max(pending.end, to);
        else {
          if (pending) yield pending;
          pending = { start: from, end: to, cut: false };
        }
      }
    }
    if (pending) {
      // Open until the last midnight searched: it may run on beyond it.
      yield { ...pending, cut: pending.end >= this.#instantFrom(first + days + 1, 0) };
    }
  }

  /** The instant a wall-clock time happens, or, when clocks jump over it, the instant they jump. */
  #instantFrom(day: number, minute: number): number {
    for (let later = minute; ; later++) {
      const at = this.#clock!.instant(day, later);
      if (at !== undefined) return at;
    }
  }

  #openDay(day: number): boolean {
    return this.#holidays.size === 0 || !this.#holidays.has(isoDate(day));
  }

  #ranges(day: number): readonly MinuteRange[] {
    return this.#hours!.week[weekdayOf(day)]!;
  }
}

/** The schedule of each target, by name. */
export function schedulesOf(
  targets: Readonly<Record<string, { hours?: WeeklyHours; holidays?: string[]; slots?: SlotRules }>>,
): Record<string, TargetSchedule> {
  return Object.fromEntries(
    Object.entries(targets).map(([name, t]) => [name, new TargetSchedule(t.hours, t.holidays, t.slots)]),
  );
}

/** The key of a target's slot in the store's slot places: `target|epoch ms`. */
export const slotKey = (target: string, at: number): string => `${target}|${at}`;

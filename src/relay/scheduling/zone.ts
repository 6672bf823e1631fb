/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** A wall-clock reading in a time zone. */
export interface LocalTime {
  /** The local date as days since 1970-01-01 (a day number, the same in every zone). */
  day: number;
  /** Minutes since local midnight, 0 to 1439. */
  minute: number;
  /** Milliseconds past that minute. */
  rest: number;
}

/** The weekday of a day number: 0 is Sunday, as `Date#getUTCDay`. */
export const weekdayOf = (day: number): number => (day + 4) % 7;

/** A day number written as `YYYY-MM-DD`. */
export const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** Whether the runtime knows an IANA time zone by this name. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const READING = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),? (\d{1,2}):(\d{2}):(\d{2})$/;

/**
 * Reads and makes wall-clock times of one IANA zone with the runtime's own time-zone
 * data (`Intl.DateTimeFormat`): no dependency, the same on Node, Workers and browsers,
 * and daylight-saving changes come from the same tables as the operating system's.
 * A formatter costs about half a millisecond to make and a few microseconds to use, so
 * one is made per zone and kept.
 */
export class ZoneClock {
  readonly timezone: string;
  readonly #format: Intl.DateTimeFormat;

  constructor(timezone: string) {
    this.timezone = timezone;
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The wall-clock time at an instant (epoch ms). */
  local(at: number): LocalTime {
    const wall = this.#wall(at);
    const day = Math.floor(wall / DAY_MS);
    const sinceMidnight = wall - day * DAY_MS;
    return { day, minute: Math.floor(sinceMidnight / 60_000), rest: sinceMidnight % 60_000 };
  }

  /**
   * The instant a wall-clock time (a day number and a minute of that day, which may be
   * 1440: the next midnight) happens. When clocks go back and the time happens twice, the
   * earlier; when they go forward past it, `undefined`: it never happens that day.
   */
  instant(day: number, minute: number): number | undefined {
    const wall = day * DAY_MS + minute * 60_000;
    // The offsets around it: a zone changes its offset at most once within two days.
    const candidates = [this.#offset(wall - DAY_MS), this.#offset(wall + DAY_MS)].map((offset) => wall - offset);
    const real = candidates.filter((at) => this.#wall(at) === wall);
    return real.length === 0 ? undefined : Math.min(...real);
  }

  /** The zone's offset from UTC at an instant, in ms. */
  #offset(at: number): number {
    return this.#wall(at) - at;
  }

  /** The wall-clock time at an instant, as if it were UTC epoch ms (whole seconds, then the instant's ms). */
  #wall(at: number): number {
    const text = this.#format.format(at);
    const match = READING.exec(text);
    let fields: number[];
    if (match) fields = match.slice(1).map(Number);
    else {
      // Another ICU may lay the reading out differently: take the parts by name.
      const parts = Object.fromEntries(this.#format.formatToParts(at).map((p) => [p.type, Number(p.value)]));
      fields = [parts.month!, parts.day!, parts.year!, parts.hour!, parts.minute!, parts.second!];
    }
    const [month, date, year, hour, minute, second] = fields as [number, number, number, number, number, number];
    const ms = ((at % 1000) + 1000) % 1000;
    return Date.UTC(year, month - 1, date, hour % 24, minute, second) + ms;
  }
}

const clocks = new Map<string, ZoneClock>();

/** The clock of a zone, made once per zone. */
export function zoneClock(timezone: string): ZoneClock {
  let clock = clocks.get(timezone);
  if (!clock) clocks.set(timezone, (clock = new ZoneClock(timezone)));
  return clock;
}

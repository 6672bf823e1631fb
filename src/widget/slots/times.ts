/**
 * Days and times of callback slots as the visitor reads them: in their language and
 * their browser's time zone.
 */

const format = (lang: string, options: Intl.DateTimeFormatOptions, at: string) =>
  new Intl.DateTimeFormat(lang, options).format(new Date(at));

/** The visitor's time zone (`Asia/Dubai`). */
export const visitorZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** The visitor's calendar day of an instant, as `2026-12-02`: slots are grouped by it. */
export const dayOf = (at: string): string => format('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }, at);

/** A day's button: "Wed, 2 Dec". */
export const dayLabel = (at: string, lang: string): string =>
  format(lang, { weekday: 'short', day: 'numeric', month: 'short' }, at);

/** A slot's button: "10:15 am". */
export const timeLabel = (at: string, lang: string): string => format(lang, { hour: 'numeric', minute: '2-digit' }, at);

/** A moment in a sentence: "Wed, 2 Dec, 10:15 am". */
export const momentLabel = (at: string, lang: string): string =>
  format(lang, { weekday: 'short', day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' }, at);

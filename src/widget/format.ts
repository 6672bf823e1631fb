/**
 * Numbers, times and names in the visitor's language, the way that language writes them
 * (Marathi and Bengali in their own digits, say). The browser knows the words and digits;
 * `lang` is always one of the widget's languages, so the formats never throw.
 */
import { whenIdle } from './idle.js';

/** `m:ss` for a number of seconds, in the language's digits. */
export function clock(seconds: number, lang = 'en'): string {
  const whole = Math.max(0, Math.floor(seconds));
  const digits = (n: number, min: number) => n.toLocaleString(lang, { minimumIntegerDigits: min, useGrouping: false });
  return `${digits(Math.floor(whole / 60), 1)}:${digits(whole % 60, 2)}`;
}

/** When to try again ("in 30 seconds", "2 मिनट में"): seconds under two minutes, minutes beyond. */
export function waitTime(seconds: number, lang = 'en'): string {
  const format = new Intl.RelativeTimeFormat(lang);
  return seconds < 120 ? format.format(Math.ceil(seconds), 'second') : format.format(Math.ceil(seconds / 60), 'minute');
}

/** A country's name from its ISO code ("India", "भारत"); the code itself where the browser has no name. */
export function countryName(iso: string, lang = 'en'): string {
  try {
    return new Intl.DisplayNames(lang, { type: 'region' }).of(iso.toUpperCase()) ?? iso;
  } catch {
    return iso; // not a region code
  }
}

const names = new Map<string, string>();

/**
 * {@link countryName} without holding up a page: the browser's first `Intl.DisplayNames`
 * loads its country names, a tenth of a second on a slow phone, so a name not known yet
 * is looked up when the browser is idle, and `ready` is called once it is.
 */
export function countryNameSoon(iso: string, lang: string, ready: () => void): string | undefined {
  const key = `${iso} ${lang}`;
  if (names.has(key)) return names.get(key);
  whenIdle(() => {
    if (!names.has(key)) names.set(key, countryName(iso, lang));
    ready();
  });
  return undefined;
}

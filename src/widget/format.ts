/**
 * Numbers, times and names in the visitor's language, the way that language writes them
 * (Marathi and Bengali in their own digits, say). The browser knows the words and digits;
 * `lang` is always one of the widget's languages, so the formats never throw.
 */

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

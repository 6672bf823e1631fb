/**
 * Numbers and times in the visitor's language, the way that language writes them (Marathi
 * and Bengali in their own digits, say). The browser knows the digits; `lang` is always
 * one of the widget's languages, so the formats never throw. (Waits are worded by the
 * recovery chunk, country names by the countries chunk.)
 */

/** `m:ss` for a number of seconds, in the language's digits. */
export function clock(seconds: number, lang = 'en'): string {
  const whole = Math.max(0, Math.floor(seconds));
  const digits = (n: number, min: number) => n.toLocaleString(lang, { minimumIntegerDigits: min, useGrouping: false });
  return `${digits(Math.floor(whole / 60), 1)}:${digits(whole % 60, 2)}`;
}

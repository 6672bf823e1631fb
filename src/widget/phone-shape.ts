/**
 * Turns digits of any script (Devanagari ९, Arabic-Indic ٩, full-width ９…) into 0-9,
 * so a visitor may type in their own script.
 */
export function toAsciiDigits(input: string): string {
  return input.replace(/\p{Nd}/gu, (digit) => {
    const code = digit.codePointAt(0)!;
    // Unicode puts each script's digits in runs of ten from 0 to 9, some runs back to back;
    // count from where the runs begin.
    let start = code;
    while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
    return String((code - start) % 10);
  });
}

/**
 * Calling codes of the countries the widget is most used in (India and its neighbours,
 * the Gulf, and the largest English-speaking markets), as `IN91AE971…`. Every country
 * would cost the script-tag bundle a kilobyte; one not listed shows its ISO code
 * instead, and the relay reads numbers of every country.
 */
const DIAL_CODES = 'IN91AE971SA966QA974OM968KW965BH973SG65MY60LK94NP977BD880GB44US1CA1AU61';

/** What the widget shows for a country by the field: `+91` where it knows the code, else the ISO code. */
export function countryPrefix(country: string): string {
  const iso = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(iso)) return '';
  const code = new RegExp(`${iso}(\\d+)`).exec(DIAL_CODES)?.[1];
  return code ? `+${code}` : iso;
}

/** Why a number's shape is wrong. */
export type ShapeProblem = 'empty' | 'characters' | 'length';

/** The outcome of {@link checkPhoneShape}. */
export type ShapeResult = { ok: true; phone: string } | { ok: false; problem: ShapeProblem };

/**
 * Checks only the shape of what a visitor typed: the characters, and a digit count a
 * phone number can have (E.164: at most 15 with the country code). The relay decides,
 * with the widget's country, whether the number is real and may be called. Answers the
 * number to send, in ASCII digits.
 */
export function checkPhoneShape(typed: string): ShapeResult {
  const phone = toAsciiDigits(typed).trim();
  if (phone === '') return { ok: false, problem: 'empty' };
  if (!/^\+?[\d\s().\-/]+$/.test(phone)) return { ok: false, problem: 'characters' };
  const digits = phone.replace(/\D/g, '');
  const international = phone.startsWith('+') || digits.startsWith('00');
  const significant = international ? digits.replace(/^00/, '') : digits.replace(/^0+/, '');
  const [min, max] = international ? [8, 15] : [4, 14];
  return significant.length < min || significant.length > max ? { ok: false, problem: 'length' } : { ok: true, phone };
}

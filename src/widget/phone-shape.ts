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

/**
 * Calling codes of the countries the widget is most used in (India and its neighbours,
 * the Gulf, and the largest English-speaking markets), as `IN91AE971…`. One not listed
 * shows its ISO code instead, and the relay reads numbers of every country.
 */
const DIAL_CODES = 'IN91AE971SA966QA974OM968KW965BH973SG65MY60LK94NP977BD880GB44US1CA1AU61';

/** What the widget shows for a country by the field: `+91` where it knows the code, else the ISO code. */
export function countryPrefix(country: string): string {
  const iso = country.toUpperCase();
  if (!/^[A-Z]{2}$/.test(iso)) return '';
  const code = new RegExp(`${iso}(\\d+)`).exec(DIAL_CODES)?.[1];
  return code ? `+${code}` : iso;
}

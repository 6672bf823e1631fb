/**
 * Masks a phone number for display and logs: the country code, the first two and the
 * last three national digits stay, the rest become bullets (`+91 98••• ••321`).
 *
 * @param countryCode calling code digits without `+`, e.g. `91`
 * @param national the national significant number's digits
 */
export function maskPhone(countryCode: string, national: string): string {
  const keepHead = national.length > 6 ? 2 : 0;
  const keepTail = national.length > 4 ? 3 : 1;
  const hidden = Math.max(national.length - keepHead - keepTail, 1);
  const masked = national.slice(0, keepHead) + '•'.repeat(hidden) + national.slice(-keepTail);
  const half = Math.ceil(masked.length / 2);
  return `+${countryCode} ${masked.slice(0, half)} ${masked.slice(half)}`;
}

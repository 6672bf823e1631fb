import { Metadata } from 'libphonenumber-js/max';

/** The parts of libphonenumber-js's metadata its type declarations leave out. */
interface FullMetadata {
  countryCallingCodes(): Record<string, string[]>;
  selectNumberingPlan(country: string): void;
  numberingPlan: { nationalPrefixForParsing(): string | undefined; IDDPrefix(): string };
}

/** A number split into its country and national part. */
export interface SplitNumber {
  country: string;
  callingCode: string;
  national: string;
}

interface CountryRules {
  callingCode: string;
  /** Matches a national prefix (or carrier code) libphonenumber would strip. */
  prefix: RegExp | undefined;
  /** Matches the prefix for dialling abroad (`00` in India), which makes a number international. */
  international: RegExp;
}

let countriesByCode: Record<string, string[]> | undefined;
const rules = new Map<string, CountryRules>();

function rulesOf(country: string): CountryRules {
  let found = rules.get(country);
  if (!found) {
    const metadata = new Metadata() as unknown as FullMetadata;
    metadata.selectNumberingPlan(country);
    const prefix = metadata.numberingPlan.nationalPrefixForParsing();
    const callingCode = Object.entries(metadata.countryCallingCodes()).find(([, countries]) =>
      countries.includes(country),
    )![0];
    const international = new RegExp(`^(?:${metadata.numberingPlan.IDDPrefix()})`);
    rules.set(
      country,
      (found = { callingCode, prefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined, international }),
    );
  }
  return found;
}

/** Whether libphonenumber might strip something from the front of this national number. */
const mayStrip = (rule: CountryRules, national: string) => {
  const match = rule.prefix?.exec(national);
  return match !== null && match !== undefined && match[0].length > 0;
};

/**
 * Splits the plain cases quickly: `+` and a calling code that belongs to one country
 * only, or a national number of a default country that has its calling code to itself,
 * when no national prefix, carrier code, calling code or prefix for dialling abroad needs
 * stripping. Answers `undefined` for everything else, which
 * libphonenumber-js then parses; for the cases it takes, the answer is the one
 * libphonenumber-js gives (a property test holds it to that), at a fraction of the cost.
 */
export function splitPlainNumber(digitsAndPlus: string, defaultCountry: string): SplitNumber | undefined {
  countriesByCode ??= (new Metadata() as unknown as FullMetadata).countryCallingCodes();
  if (digitsAndPlus.startsWith('+')) {
    const digits = digitsAndPlus.slice(1);
    for (let length = 1; length <= 3; length++) {
      const countries = countriesByCode[digits.slice(0, length)];
      if (!countries) continue;
      // Shared codes (+1, +44, +7…) need libphonenumber's country detection; non-geographic
      // ones (+800…) have no country.
      const country = countries.length === 1 ? countries[0]! : '';
      if (!/^[A-Z]{2}$/.test(country)) return undefined;
      const national = digits.slice(length);
      if (national.length < 4 || national.length > 14 || mayStrip(rulesOf(country), national)) return undefined;
      return { country, callingCode: digits.slice(0, length), national };
    }
    return undefined;
  }
  const rule = rulesOf(defaultCountry);
  const national = digitsAndPlus;
  // A national number of a country that shares its calling code may belong to a neighbour.
  if (countriesByCode[rule.callingCode]!.length !== 1) return undefined;
  if (
    national.startsWith('0') ||
    national.startsWith(rule.callingCode) ||
    rule.international.test(national) ||
    national.length < 4 ||
    national.length > 14 ||
    mayStrip(rule, national)
  )
    return undefined;
  return { country: defaultCountry, callingCode: rule.callingCode, national };
}

import { parsePhoneNumberFromString, type CountryCode, type NumberType } from 'libphonenumber-js/max';
import { maskPhone } from '../../protocol/index.js';
import { RelayError } from '../errors.js';

/** A visitor's number that passed every check. */
export interface VisitorNumber {
  /** Digits with country code, no `+`: what Mobtexting expects. */
  digits: string;
  /** ISO country of the number. */
  country: string;
  /** `+91 98••• ••321`: the only form that leaves the server. */
  masked: string;
}

/** Which numbers a relay may dial. */
export interface PhonePolicy {
  /** Country assumed for numbers typed without `+`. */
  defaultCountry: string;
  /** ISO codes whose numbers may be dialled. */
  allowedCountries: ReadonlySet<string>;
}

// Only numbers a person answers. Premium-rate, shared-cost, personal (UK 070), pager, UAN,
// voicemail, VoIP and toll-free numbers are where toll fraud and misuse live.
const DIALLABLE: ReadonlySet<NumberType> = new Set(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE']);

const TYPE_NAMES: Partial<Record<NonNullable<NumberType>, string>> = {
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  TOLL_FREE: 'toll-free',
  PERSONAL_NUMBER: 'personal-number service',
  PAGER: 'pager',
  UAN: 'universal access',
  VOICEMAIL: 'voicemail',
  VOIP: 'internet (VoIP)',
};

// ASCII digits and the separators people type. Unicode digits, letters ("ext") and
// control characters are refused before the parser sees them.
const PHONE_CHARACTERS = /^\+?[0-9 ().\-/]{3,32}$/;

/**
 * Checks a visitor's number: well formed, valid, of an allowed country and a type a
 * person answers.
 *
 * @throws {RelayError} `invalid_phone` (422), `number_not_allowed` (403, a type nobody answers)
 *   or `country_not_allowed` (422), with field `phone`.
 */
export function parseVisitorPhone(raw: string, policy: PhonePolicy): VisitorNumber {
  const input = raw.trim();
  if (!PHONE_CHARACTERS.test(input)) {
    throw new RelayError(
      'invalid_phone',
      'Enter a phone number using the digits 0-9, with + and the country code if it is not local.',
      { field: 'phone' },
    );
  }
  const parsed = parsePhoneNumberFromString(input, policy.defaultCountry as CountryCode);
  // With full metadata a number is valid exactly when it has a type.
  const type = parsed?.getType();
  if (!parsed || !type) {
    throw new RelayError('invalid_phone', 'This is not a valid phone number. Check the digits and the country code.', {
      field: 'phone',
    });
  }
  // The type first: a premium-rate number is refused as such, wherever it is.
  if (!DIALLABLE.has(type)) {
    const kind = TYPE_NAMES[type] ?? 'special';
    throw new RelayError(
      'number_not_allowed',
      `This is a ${kind} number; only mobile and landline numbers can be called.`,
      { field: 'phone', scope: type.toLowerCase().replace(/_/g, '-') },
    );
  }
  const country = parsed.country;
  if (!country || !policy.allowedCountries.has(country)) {
    throw new RelayError('country_not_allowed', 'Numbers in this country cannot be called from here.', {
      field: 'phone',
    });
  }
  const { countryCallingCode, nationalNumber } = parsed;
  return {
    digits: countryCallingCode + nationalNumber,
    country,
    masked: maskPhone(countryCallingCode, nationalNumber),
  };
}

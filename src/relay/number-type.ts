import { Metadata, type NumberType } from 'libphonenumber-js/max';

/** The types other than fixed line, in the order libphonenumber checks them. */
const OTHER_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

/** One number type of a country: its pattern, compiled once, and its lengths. */
interface TypeRule {
  pattern: RegExp;
  lengths: readonly number[] | undefined;
}

/** A country's numbering plan, compiled. */
interface Plan {
  general: RegExp;
  fixedLine: TypeRule | undefined;
  /** MOBILE is absent or empty when it duplicates FIXED_LINE. */
  mobileSameAsFixed: boolean;
  others: [NonNullable<NumberType>, TypeRule | undefined][];
}

/** The parts of libphonenumber-js's numbering plan its type declarations leave out. */
interface FullNumberingPlan {
  nationalNumberPattern(): string;
  type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

const plans = new Map<string, Plan>();

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function compile(countryOrCode: string): Plan {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(countryOrCode as Parameters<Metadata['selectNumberingPlan']>[0]);
  const plan = metadata.numberingPlan as unknown as FullNumberingPlan;
  const rule = (type: NonNullable<NumberType>): TypeRule | undefined => {
    const definition = plan.type(type);
    const pattern = definition?.pattern();
    return pattern ? { pattern: whole(pattern), lengths: definition!.possibleLengths() } : undefined;
  };
  const mobile = plan.type('MOBILE');
  return {
    general: whole(plan.nationalNumberPattern()),
    fixedLine: rule('FIXED_LINE'),
    mobileSameAsFixed: !mobile || mobile.pattern() === '',
    others: OTHER_TYPES.map((type) => [type, rule(type)]),
  };
}

const matches = (rule: TypeRule | undefined, national: string) =>
  rule !== undefined && (!rule.lengths || rule.lengths.includes(national.length)) && rule.pattern.test(national);

/**
 * The type of a national number, exactly as libphonenumber-js's `getType()` finds it
 * with its full metadata, but with each country's patterns compiled once: that function
 * compiles a regular expression for every check, which made it the relay's costliest step.
 * `undefined` means the number is not valid.
 */
export function numberType(countryOrCode: string, national: string): NumberType {
  let plan = plans.get(countryOrCode);
  if (!plan) plans.set(countryOrCode, (plan = compile(countryOrCode)));
  if (!plan.general.test(national)) return undefined;
  if (matches(plan.fixedLine, national)) {
    if (plan.mobileSameAsFixed) return 'FIXED_LINE_OR_MOBILE';
    const mobile = plan.others[0]![1];
    return matches(mobile, national) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  for (const [type, rule] of plan.others) if (matches(rule, national)) return type;
  return undefined;
}

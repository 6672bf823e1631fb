import * as z from 'zod';
import { checkScheduling, schedulingFields } from '../scheduling/schema.js';

/** Digits of a full international number without `+`: 8 to 15 of them. */
export const INTERNATIONAL_DIGITS = /^[1-9]\d{7,14}$/;
/** A Mobtexting IVR flow (Engage > Studio journey). */
export const FLOW_ID = /^flow:\d{1,12}$/;
/** What a target or variable may be called. */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,31}$/;

/** Accepts `+91 80 6712 3456`, `918067123456` or the bare JSON number, gives `918067123456`. */
const phoneDigits = z
  .union([z.string(), z.number().int().nonnegative()])
  .transform((value) => String(value).replace(/^\+/, '').replace(/[\s-]/g, ''));

const numberOrFlow = phoneDigits.pipe(
  z.string().refine((v) => INTERNATIONAL_DIGITS.test(v) || FLOW_ID.test(v), {
    message: 'must be a number with country code (e.g. 918067123456) or flow:ID',
  }),
);

/** A DID number: digits with country code. */
export const didNumber = phoneDigits.pipe(
  z.string().regex(INTERNATIONAL_DIGITS, 'must be a number with country code (e.g. 918067123456)'),
);

/** What a page-supplied variable may hold, unless a target says otherwise: a person's name. */
export const DEFAULT_VARIABLE_PATTERN = "[\\p{L}\\p{M} .'-]+";

/** The most characters a variable holds unless its target says otherwise. */
const DEFAULT_VARIABLE_LENGTH = 40;

/** What a variable may hold: values are matched whole, and at most `maxLength` characters. */
export interface VariableRule {
  pattern: RegExp;
  maxLength: number;
}

const variableRule = z
  .strictObject({
    /** A regular expression the whole value must match (Unicode). Default: letters, spaces and `.'-`. */
    pattern: z.string().max(200).default(DEFAULT_VARIABLE_PATTERN),
    maxLength: z.number().int().min(1).max(200).default(DEFAULT_VARIABLE_LENGTH),
  })
  .transform((rule, ctx): VariableRule => {
    try {
      return { pattern: new RegExp(`^(?:${rule.pattern})$`, 'u'), maxLength: rule.maxLength };
    } catch {
      ctx.addIssue({ code: 'custom', message: `"${rule.pattern}" is not a regular expression` });
      return z.NEVER;
    }
  });

const variableName = z.string().regex(VARIABLE_NAME, 'variable names are letters, digits and _');

const variablesSchema = z
  .union([z.array(variableName).max(20), z.record(variableName, variableRule)])
  .default([])
  .transform((declared): Record<string, VariableRule> =>
    Array.isArray(declared) ? Object.fromEntries(declared.map((name) => [name, variableRule.parse({})])) : declared,
  )
  .refine((rules) => Object.keys(rules).length <= 20, { message: 'at most 20 variables' });

/**
 * Whom a page may have called, fixed by the site's configuration. The browser only names
 * a target; it never supplies the number.
 */
const targetSchema = z
  .strictObject({
    /** The business number (digits with country code) or `flow:ID`. */
    to: numberOrFlow,
    /** Which leg Mobtexting rings first: the visitor or the business's agent. */
    callFirst: z.enum(['visitor', 'agent']).default('visitor'),
    /** Record the conversation. */
    record: z.boolean().default(false),
    /** Longest call, in minutes. */
    duration: z.number().int().min(1).max(600).optional(),
    /** Redial attempts on unanswered calls, 0 to 2. */
    attempts: z.number().int().min(0).max(2).optional(),
    /**
     * The variables a page may pass (for an IVR flow's text-to-speech), and what each may
     * hold: a list of names (each a short name: letters, spaces and `.'-`, at most 40
     * characters), or names with their own `pattern` and `maxLength`.
     */
    variables: variablesSchema,
    /** A DID number for this target instead of the relay's default bridge. */
    bridge: didNumber.optional(),
    /** The visitor must tick a consent box before the call can start. */
    requireConsent: z.boolean().default(false),
    /**
     * Makes this a verify target: the name of its IVR flow's variable that speaks the code
     * (`otp` for "your otp for login is {otp}"). The relay fills it; a page never can.
     */
    codeVariable: z.string().regex(VARIABLE_NAME, 'must be a variable name').optional(),
    /** How many digits a verify target's code has: 4 to 8, default 6. */
    digits: z.number().int().min(4).max(8).optional(),
    /**
     * Calls to this target need a verified number (`verified` in `POST /calls`): `true`
     * for a token of any verify target, or the name of the verify target it must come from.
     */
    requireVerified: z
      .union([z.boolean(), z.string().regex(TARGET_NAME, 'must be a target name')])
      .optional()
      .transform((value) => (value === false ? undefined : value)),
    /** Business hours, holidays, callback slots and automatic redials (see `scheduling/schema.ts`). */
    ...schedulingFields,
  })
  .refine((t) => !(t.callFirst === 'agent' && FLOW_ID.test(t.to)), {
    message: 'an IVR flow cannot be rung first; use callFirst "visitor"',
    path: ['callFirst'],
  })
  .superRefine(checkScheduling)
  .superRefine((t, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (t.codeVariable === undefined) {
      if (t.digits !== undefined) problem('digits', 'only a verify target (with codeVariable) has digits');
      return;
    }
    if (!FLOW_ID.test(t.to)) problem('to', 'a verify target calls the IVR flow that speaks the code: use flow:ID');
    if (Object.hasOwn(t.variables, t.codeVariable))
      problem('variables', `"${t.codeVariable}" is the code: the relay fills it, so it cannot be declared for pages`);
    if (t.record) problem('record', 'a verify call is never recorded: the recording would hold the code');
    if (t.requireVerified !== undefined) problem('requireVerified', 'a verify target cannot require a verified number');
  });

/** A target as the relay uses it, defaults filled in. */
export type Target = z.output<typeof targetSchema>;

/** Input form of a target: what a configuration file may say. */
export type TargetInput = z.input<typeof targetSchema>;

/** Whether a target verifies numbers by a spoken code. */
export function isVerifyTarget(target: Target): target is Target & { codeVariable: string } {
  return target.codeVariable !== undefined;
}

/** The targets a relay serves, keyed by name. */
export const targetsSchema = z
  .record(z.string().regex(TARGET_NAME, 'target names are letters, digits, - and _'), targetSchema)
  .refine((targets) => Object.keys(targets).length > 0, { message: 'name at least one target' })
  .superRefine((targets, ctx) => {
    // A target that requires a verified number must name a verify target that exists.
    for (const [name, target] of Object.entries(targets)) {
      const required = target.requireVerified;
      if (required === undefined) continue;
      const named = typeof required === 'string' && Object.hasOwn(targets, required) ? targets[required] : undefined;
      const fits = required === true ? Object.values(targets).some(isVerifyTarget) : named && isVerifyTarget(named);
      if (!fits) {
        const message =
          required === true ? 'needs a verify target (one with codeVariable)' : `"${required}" is not a verify target`;
        ctx.addIssue({ code: 'custom', message, path: [name, 'requireVerified'] });
      }
    }
  });

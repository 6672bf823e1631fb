import { isSupportedCountry } from 'libphonenumber-js/max';
import * as z from 'zod';
import type { CallRequest } from '../../protocol/index.js';
import { RelayError } from '../errors.js';
import { TARGET_NAME, VARIABLE_NAME } from '../config/targets.js';
import { builtOnFirstUse } from '../config/built-on-first-use.js';
import { plainText } from './text.js';

const callRequestSchema = builtOnFirstUse(() =>
  z.strictObject({
    phone: z.string().max(40, 'must be at most 40 characters').optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'must be an ISO country code such as IN')
      .transform((c) => c.toUpperCase())
      .refine((c) => isSupportedCountry(c), { message: 'is not a known country' })
      .optional(),
    target: z.string().regex(TARGET_NAME, 'must be a target name').optional(),
    variables: z
      .record(z.string().regex(VARIABLE_NAME, 'names are letters, digits and _'), plainText(200))
      .refine((v) => Object.keys(v).length <= 20, { message: 'at most 20 variables' })
      .optional(),
    ticket: z
      .string()
      .max(2048, 'is too long')
      .regex(/^[\w.-]+$/, 'is not a ticket')
      .optional(),
    consent: z.boolean().optional(),
    humanToken: plainText(2048).optional(),
    verified: z
      .string()
      .max(2048, 'is too long')
      .regex(/^[\w.-]+$/, 'is not a number confirmation')
      .optional(),
    at: z.iso.datetime({ offset: true, error: 'must be an ISO time such as 2026-11-27T10:30:00+05:30' }).optional(),
  }),
);

/**
 * Validates the JSON body of `POST /calls`. Unknown fields are refused by name, so a `to`
 * or `bridge` from the browser is an error rather than silently ignored.
 *
 * @throws {RelayError} `invalid_request` (400) naming the field at fault.
 */
export function parseCallRequest(body: unknown): CallRequest {
  // JSON may name a key `__proto__`; an object built from it would silently drop it.
  const variables = (body as { variables?: unknown } | null)?.variables;
  if (typeof variables === 'object' && variables !== null && Object.hasOwn(variables, '__proto__')) {
    throw new RelayError('invalid_request', '"variables.__proto__" is not a variable name.', {
      field: 'variables.__proto__',
    });
  }
  const result = callRequestSchema().safeParse(body);
  if (result.success) {
    const request = result.data;
    if (request.phone === undefined && request.ticket === undefined) {
      throw new RelayError('invalid_request', 'Enter the phone number to call.', { field: 'phone' });
    }
    if (request.phone !== undefined && request.ticket !== undefined) {
      throw new RelayError('invalid_request', 'Send either a phone number or a ticket, not both.', { field: 'phone' });
    }
    return request;
  }
  throw toRelayError(result.error);
}

function toRelayError(error: z.ZodError): RelayError {
  const issue = error.issues[0]!;
  if (issue.path.length === 0 && issue.code === 'invalid_type') {
    return new RelayError('invalid_request', 'The body must be a JSON object.');
  }
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path, issue.keys[0]].join('.');
    const why = issue.path.length === 0 ? ' The relay decides whom to call; pages only name a target.' : '';
    return new RelayError('invalid_request', `Unknown field "${field}".${why}`, { field });
  }
  const field = issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type'
      ? `must be ${issue.expected === 'record' ? 'an object' : `a ${issue.expected}`}`
      : issue.message;
  return new RelayError('invalid_request', `"${field}" ${message}.`, { field });
}

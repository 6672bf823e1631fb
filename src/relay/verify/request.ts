import type { VerificationCheck, VerificationRequest } from '../../protocol/index.js';
import { parseCallRequest } from '../calls/request.js';
import { RelayError } from '../errors.js';

/** Fields of a call request a verification has no use for. */
const CALL_ONLY = ['ticket', 'verified'] as const;

/**
 * Validates the JSON body of `POST /verifications`: a call request's fields (the same
 * rules, the same answers), less a ticket or a token, with a phone number.
 *
 * @throws {RelayError} `invalid_request` naming the field at fault.
 */
export function parseVerificationRequest(body: unknown): VerificationRequest {
  if (typeof body === 'object' && body !== null) {
    const field = CALL_ONLY.find((name) => Object.hasOwn(body, name));
    if (field) throw new RelayError('invalid_request', `Unknown field "${field}".`, { field });
  }
  const request = parseCallRequest(body);
  return { ...request, phone: request.phone! };
}

/** What a code may be sent as: digits, maybe grouped by spaces or dashes as people paste them. */
const CODE = /^\d{1,12}$/;

/**
 * Validates the JSON body of `POST /verifications/:id/check`, answering the code's
 * digits. Nothing about the code goes into an error but that it is not digits.
 *
 * @throws {RelayError} `invalid_request` naming `code`.
 */
export function parseCodeCheck(body: unknown): VerificationCheck {
  const refuse = () => new RelayError('invalid_request', 'Enter the code as the digits you heard.', { field: 'code' });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RelayError('invalid_request', 'The body must be a JSON object.');
  }
  const unknown = Object.keys(body).find((key) => key !== 'code');
  if (unknown !== undefined) {
    throw new RelayError('invalid_request', 'Unknown field: a check sends only "code".', {
      field: unknown.slice(0, 64),
    });
  }
  const { code } = body as { code?: unknown };
  if (typeof code !== 'string' || code.length > 32) throw refuse();
  const digits = code.replace(/[\s-]/g, '');
  if (!CODE.test(digits)) throw refuse();
  return { code: digits };
}

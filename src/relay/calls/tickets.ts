import { sign, verify } from 'hono/jwt';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { maskPhone } from '../../protocol/index.js';
import * as z from 'zod';
import { RelayError } from '../errors.js';
import { TARGET_NAME, VARIABLE_NAME } from '../config/targets.js';
import { builtOnFirstUse } from '../config/built-on-first-use.js';
import { cleanLabel, plainText } from './text.js';

/** What the site's backend signs into a ticket. */
export interface TicketClaims {
  /** The customer's number, with country code (`+91 98765 43210` or `919876543210`). */
  to: string;
  /** The agent's number, rung first; without it, the target's own number is. */
  from?: string;
  /**
   * What the agent's button shows instead of the number, e.g. `Asha K.`. Default: the
   * masked number, `+91 98••• ••210`.
   */
  label?: string;
  /** The relay target whose settings (bridge, recording, duration) the call uses. */
  target?: string;
  /**
   * Values for the target's IVR flow variables, vouched for by the site's backend: taken
   * as they are (the target must still declare each name).
   */
  variables?: Record<string, string>;
}

/** Options of {@link createTicket}. */
export interface CreateTicketOptions extends TicketClaims {
  /** `MT_TICKET_SECRET`, shared with the relay. */
  secret: string;
  /** How long the ticket may be used, in seconds. Default 300; at most 3600. */
  ttlSeconds?: number;
  /** The clock, in epoch milliseconds. */
  now?: number;
}

/** The claims a backend signs; the sealed numbers; the signed payload, where they travel as `num`. */
function ticketSchemas() {
  const number = z.string().regex(/^\+?\d[\d ]{6,20}$/, 'must be a phone number with country code');
  const label = z.string().max(200).transform(cleanLabel);
  const variables = z
    .record(z.string().regex(VARIABLE_NAME), plainText(200))
    .refine((v) => Object.keys(v).length <= 20, { message: 'at most 20 variables' });
  const claims = z.strictObject({
    to: number,
    from: number.optional(),
    label: label.optional(),
    target: z.string().regex(TARGET_NAME).optional(),
    variables: variables.optional(),
  });
  const payload = z.strictObject({
    num: z.string().regex(/^[\w-]{20,400}$/),
    label: label.optional(),
    target: z.string().regex(TARGET_NAME).optional(),
    variables: variables.optional(),
    exp: z.number().int(),
    iat: z.number().int(),
    jti: z.string().regex(/^[\w-]{8,64}$/),
  });
  return { claims, numbers: claims.pick({ to: true, from: true }), payload };
}
const schemas = builtOnFirstUse(ticketSchemas);

/** A verified ticket, its numbers decrypted. */
export type Ticket = Omit<z.output<ReturnType<typeof ticketSchemas>['payload']>, 'num'> & TicketClaims;

const encoder = new TextEncoder();
/** Each secret's numbers key, derived once: every ticket signed or checked needs it. */
const numbersKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The key that hides a ticket's numbers: a ticket is only signed, so its payload is
 * readable by whoever holds the page, and the agent must not see the customer's number.
 */
function numbersKey(secret: string): Promise<CryptoKey> {
  let key = numbersKeys.get(secret);
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(`mt-click-to-call ticket numbers\0${secret}`))
      .then((material) => crypto.subtle.importKey('raw', material, 'AES-GCM', false, ['encrypt', 'decrypt']));
    numbersKeys.set(secret, key);
  }
  return key;
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function sealNumbers(numbers: Pick<TicketClaims, 'to' | 'from'>, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv },
      await numbersKey(secret),
      encoder.encode(JSON.stringify(numbers)),
    ),
  );
  return base64url(new Uint8Array([...iv, ...sealed]));
}

async function openNumbers(sealed: string, secret: string): Promise<Pick<TicketClaims, 'to' | 'from'> | undefined> {
  try {
    const bytes = fromBase64url(sealed);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: bytes.slice(0, 12) },
      await numbersKey(secret),
      bytes.slice(12),
    );
    const parsed = schemas().numbers.safeParse(JSON.parse(new TextDecoder().decode(plain)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Signs a ticket (HS256) that lets a page start one call to a number it never sees: for
 * CRM pages, where an agent calls customers. The numbers inside are encrypted
 * (AES-GCM, with a key derived from the secret); the label is readable, for the button.
 * Run it on your backend only.
 *
 * @example
 * ```ts
 * const ticket = await createTicket({
 *   secret: process.env.MT_TICKET_SECRET!,
 *   to: customer.phone,
 *   label: customer.name,
 * });
 * // <mt-click-to-call ticket="${ticket}"></mt-click-to-call>
 * ```
 */
export async function createTicket(options: CreateTicketOptions): Promise<string> {
  const { secret, ttlSeconds = 300, now = Date.now(), ...claims } = options;
  if (secret.length < 32) throw new Error('The ticket secret must be at least 32 characters.');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 10 || ttlSeconds > 3600)
    throw new Error('ttlSeconds must be from 10 to 3600.');
  const valid = schemas().claims.safeParse(claims);
  if (!valid.success)
    throw new Error(`Ticket ${valid.error.issues[0]!.path.join('.')}: ${valid.error.issues[0]!.message}`);
  const iat = Math.floor(now / 1000);
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const jti = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const { to, from, ...shown } = valid.data;
  const num = await sealNumbers({ to, ...(from !== undefined && { from }) }, secret);
  return sign(
    { num, ...shown, label: shown.label || maskedNumber(to), iat, exp: iat + ttlSeconds, jti },
    secret,
    'HS256',
  );
}

/** `+91 98••• ••210` for a number with its country code, `+` or not. */
function maskedNumber(number: string): string {
  const digits = number.replace(/\D/g, '');
  const parsed = parsePhoneNumberFromString(`+${digits}`);
  return parsed
    ? maskPhone(parsed.countryCallingCode, parsed.nationalNumber)
    : maskPhone(digits.slice(0, 2), digits.slice(2));
}

/**
 * Checks a ticket's signature, expiry and shape.
 *
 * @throws {RelayError} `invalid_ticket` (403).
 */
export async function verifyTicket(token: string, secret: string | undefined, now: number): Promise<Ticket> {
  if (!secret) throw new RelayError('invalid_ticket', 'This relay does not take tickets.', { field: 'ticket' });
  let payload: unknown;
  try {
    payload = await verify(token, secret, { alg: 'HS256', exp: false, iat: false, nbf: false });
  } catch {
    throw new RelayError('invalid_ticket', 'This call link is not valid. Reload the page to get a new one.', {
      field: 'ticket',
    });
  }
  const parsed = schemas().payload.safeParse(payload);
  const numbers = parsed.success ? await openNumbers(parsed.data.num, secret) : undefined;
  if (!parsed.success || !numbers)
    throw new RelayError('invalid_ticket', 'This call link is not valid. Reload the page to get a new one.', {
      field: 'ticket',
    });
  // Expiry is checked here, against the relay's clock, so tests and replicas agree.
  if (parsed.data.exp * 1000 <= now)
    throw new RelayError('invalid_ticket', 'This call link has expired. Reload the page to get a new one.', {
      field: 'ticket',
    });
  const { num: _sealed, ...claims } = parsed.data;
  return { ...claims, ...numbers };
}

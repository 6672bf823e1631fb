import { secretMatches } from '../http/webhook-secret.js';

const encoder = new TextEncoder();

/**
 * A code of `digits` decimal digits from the platform's cryptographic source, each of
 * the 10^digits codes equally likely: draws that would favour low codes (the remainder of
 * 2^32 after the last whole 10^digits) are drawn again rather than folded in.
 */
export function makeCode(digits: number): string {
  const size = 10 ** digits;
  const fair = Math.floor(2 ** 32 / size) * size;
  const draw = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(draw);
    if (draw[0]! < fair) return String(draw[0]! % size).padStart(digits, '0');
  }
}

/** Each secret's code key, derived once. */
const codeKeys = new Map<string, Promise<CryptoKey>>();

/**
 * The key codes are hashed with: an HMAC-SHA-256 key derived from the relay's secret, and
 * kept apart from its other uses by a label. Without it, a copy of the store cannot be
 * searched through the few million codes there are.
 */
export function codeKey(secret: string): Promise<CryptoKey> {
  let key = codeKeys.get(secret);
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(`mt-click-to-call verification codes\0${secret}`))
      .then((material) => crypto.subtle.importKey('raw', material, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
    codeKeys.set(secret, key);
  }
  return key;
}

/**
 * What is kept of a code: HMAC-SHA-256 of `verificationId:code`, hex. The verification's
 * id is part of it, so one code's hash says nothing about any other verification's.
 */
export async function hashCode(key: CryptoKey, verificationId: string, code: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`${verificationId}:${code}`)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Whether a presented code is the one whose hash was kept: the presented code is hashed
 * the same way and the two hashes are compared in constant time.
 */
export async function codeMatches(
  key: CryptoKey,
  verificationId: string,
  presented: string,
  kept: string,
): Promise<boolean> {
  return secretMatches(await hashCode(key, verificationId, presented), kept);
}

import { ExpiringMap } from '../store/memory/expiring-map.js';

/** Options of {@link turnstileVerifier}. */
export interface TurnstileOptions {
  /** The widget's secret key. */
  secret: string;
  /** Hostnames the token must have been solved on (your site's); any when omitted. */
  hostnames?: string[];
  /** Where tokens are verified. Default Cloudflare's siteverify endpoint. */
  verifyUrl?: string;
  /** How long to wait for Cloudflare. Default 5,000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
const TOKEN_LIFETIME_MS = 300_000;
/** The most tokens remembered at once (each lives five minutes). */
const MAX_REMEMBERED = 1_000_000;

/**
 * A human check for `createRelay({ verifyHuman })` with Cloudflare Turnstile: the token
 * must verify, have been solved on one of your hostnames, and not have been used before
 * (tokens are single-use; a replay is refused here even before Cloudflare is asked).
 * Fails closed: when Cloudflare cannot be reached, the call is refused.
 */
export function turnstileVerifier(
  options: TurnstileOptions,
): (token: string, ip: string | undefined) => Promise<boolean> {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  // Tokens seen, each kept for its lifetime: a constant cost per check, however many.
  const used = new ExpiringMap<true>(MAX_REMEMBERED);
  return async (token, ip) => {
    const now = Date.now();
    if (!token || token.length > 2048 || used.get(token, now)) return false;
    // Full of tokens still valid: refuse rather than forget one that could be replayed.
    if (!used.add(token, true, now + TOKEN_LIFETIME_MS, now)) return false;
    const form = new URLSearchParams({ secret: options.secret, response: token });
    if (ip) form.set('remoteip', ip);
    try {
      const response = await send(options.verifyUrl ?? SITEVERIFY, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
      });
      const result = (await response.json()) as { success?: boolean; hostname?: string };
      if (result.success !== true) return false;
      return !options.hostnames || (result.hostname !== undefined && options.hostnames.includes(result.hostname));
    } catch {
      return false;
    }
  };
}

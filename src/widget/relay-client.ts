import type { CallAccepted, CallBooked, CallRequest, ErrorBody } from '../protocol/index.js';
import type { WidgetErrorCode } from './events.js';

/** Why the relay did not start a call. */
export interface RequestFailure {
  code: WidgetErrorCode;
  /** The relay's own sentence, when it sent one. */
  message?: string;
  field?: string;
  /** Seconds until the caller may try again. */
  retryAfter?: number;
  /** `target_closed`: when the target opens (ISO instant). */
  opensAt?: string;
}

/** The outcome of {@link requestCall}. */
export type RequestOutcome =
  { ok: true; accepted: (CallAccepted & { at?: undefined }) | CallBooked } | { ok: false; failure: RequestFailure };

/**
 * What the widget reaches its relay with: the page's own `fetch` and `EventSource`
 * (`globalThis`), or stand-ins in a test. Without `EventSource`, calls are polled.
 */
export interface Network {
  fetch: typeof fetch;
  EventSource?: typeof EventSource;
}

/** The relay's URL for a path under its endpoint (`/c2c` + `/calls`). */
export function relayUrl(endpoint: string, path: string): string {
  return endpoint.replace(/\/+$/, '') + path;
}

/** A fresh Idempotency-Key, 128 random bits; `getRandomValues` works on plain-HTTP pages too, unlike `randomUUID`. */
export function idempotencyKey(): string {
  return crypto.getRandomValues(new Uint32Array(4)).join('-');
}

/**
 * Asks the relay for a call. Never throws: network failures, time-outs and refusals all
 * come back as a {@link RequestFailure}. A failure at the network level is `network`,
 * even where it is the relay refusing this page's origin (its preflight answers without
 * CORS, which the browser reports as a network error): telling the two apart is the
 * recovery chunk's (`recovery/origin.ts`). An abort through `signal` rejects as usual.
 */
export async function requestCall(
  net: Network,
  endpoint: string,
  body: CallRequest,
  key: string,
  signal: AbortSignal,
  timeoutMs = 20_000,
): Promise<RequestOutcome> {
  // One signal for both the caller's abort and the time-out (AbortSignal.any is too recent for older phones).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const onAbort = () => timeout.abort();
  signal.addEventListener('abort', onAbort);
  try {
    const response = await net.fetch(relayUrl(endpoint, '/calls'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
      signal: timeout.signal,
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (response.status === 202 && typeof (json as CallAccepted | undefined)?.callId === 'string')
      return { ok: true, accepted: json as CallAccepted | CallBooked };
    return { ok: false, failure: toFailure(response, json) };
  } catch (err) {
    if (signal.aborted) throw err;
    return { ok: false, failure: { code: timeout.signal.aborted ? 'timeout' : 'network' } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A refusal: the relay's JSON error (its code, sentence, field and wait), over what the
 * status alone says for a body that is not the relay's (a proxy's page, say).
 */
function toFailure(response: Response, json: unknown): RequestFailure {
  const { status } = response;
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    code:
      status === 429
        ? 'rate_limited'
        : status === 504
          ? 'upstream_timeout'
          : status >= 500
            ? 'upstream_error'
            : 'invalid_request',
    ...(retryAfter > 0 && { retryAfter }),
    ...(json as Partial<ErrorBody> | undefined)?.error,
  };
}

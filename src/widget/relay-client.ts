import type { CallAccepted, CallRequest, ErrorBody, PublicCall } from '../protocol/index.js';
import type { WidgetErrorCode } from './events.js';

/** Why the relay did not start a call. */
export interface RequestFailure {
  code: WidgetErrorCode;
  /** The relay's own sentence, when it sent one. */
  message?: string;
  field?: string;
  /** Seconds until the caller may try again. */
  retryAfter?: number;
}

/** The outcome of {@link requestCall}. */
export type RequestOutcome = { ok: true; accepted: CallAccepted } | { ok: false; failure: RequestFailure };

/** The relay's URL for a path under its endpoint (`/c2c` + `/calls`). */
export function relayUrl(endpoint: string, path: string): string {
  return endpoint.replace(/\/+$/, '') + path;
}

/** A fresh Idempotency-Key; `getRandomValues` works on plain-HTTP pages too, unlike `randomUUID`. */
export function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Asks the relay for a call. Never throws: network failures, time-outs and refusals all
 * come back as a {@link RequestFailure}. A request that fails at the network level may be
 * a relay that refuses this page's origin (its preflight answers without CORS, which the
 * browser reports as a network error): the relay's `GET /access` tells which. An abort
 * through `signal` rejects as usual.
 */
export async function requestCall(
  endpoint: string,
  body: CallRequest,
  key: string,
  signal: AbortSignal,
  timeoutMs = 20_000,
): Promise<RequestOutcome> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const onAbort = () => timeout.abort();
  signal.addEventListener('abort', onAbort);
  try {
    const response = await fetch(relayUrl(endpoint, '/calls'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify(body),
      signal: timeout.signal,
    });
    const json: unknown = await response.json().catch(() => undefined);
    if (response.status === 202 && typeof (json as CallAccepted | undefined)?.callId === 'string')
      return { ok: true, accepted: json as CallAccepted };
    return { ok: false, failure: toFailure(response, json) };
  } catch (err) {
    if (signal.aborted) throw err;
    if (timeout.signal.aborted) return { ok: false, failure: { code: 'timeout' } };
    return { ok: false, failure: { code: (await originAllowed(endpoint, signal)) ? 'network' : 'origin_not_allowed' } };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Whether the relay takes calls from this page's origin, from its CORS-readable
 * `GET /access`; true when that cannot be learnt either (then it is the network).
 */
async function originAllowed(endpoint: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await fetch(relayUrl(endpoint, '/access'), { signal });
    return ((await response.json()) as { allowed?: unknown }).allowed !== false;
  } catch (err) {
    if (signal.aborted) throw err;
    return true;
  }
}

/**
 * Reads a call's public state: `gone` when the relay no longer knows the call,
 * `undefined` when it could not be asked. An abort through `signal` rejects.
 */
export async function fetchCall(
  endpoint: string,
  callId: string,
  signal: AbortSignal,
): Promise<PublicCall | 'gone' | undefined> {
  try {
    const response = await fetch(relayUrl(endpoint, `/calls/${encodeURIComponent(callId)}`), { signal });
    if (response.status === 404) return 'gone';
    return response.ok ? ((await response.json()) as PublicCall) : undefined;
  } catch (err) {
    if (signal.aborted) throw err;
    return undefined;
  }
}

function toFailure(response: Response, json: unknown): RequestFailure {
  const error = (json as Partial<ErrorBody> | undefined)?.error;
  const header = Number(response.headers.get('retry-after'));
  const retryAfter = error?.retryAfter ?? (header > 0 ? header : undefined);
  if (!error || typeof error.code !== 'string') {
    // Not the relay's JSON (a proxy's page, say): judge by the status alone.
    const code =
      response.status === 429
        ? 'rate_limited'
        : response.status === 504
          ? 'upstream_timeout'
          : response.status >= 500
            ? 'upstream_error'
            : 'invalid_request';
    return { code, ...(retryAfter !== undefined && { retryAfter }) };
  }
  return {
    code: error.code,
    message: error.message,
    ...(error.field !== undefined && { field: error.field }),
    ...(retryAfter !== undefined && { retryAfter }),
  };
}

import { relayUrl } from '../shared.js';
import type { Network, RequestFailure } from '../relay-client.js';
import { ANSWERS } from './answers.js';

/**
 * The failure as the widget reports it. A failure at the network level may be the relay
 * refusing this page's origin (its preflight answers without CORS, which the browser
 * reports as a network error): the relay's CORS-readable `GET /access` tells which. What
 * is the site's to fix is said to its developer once, in the console. An abort through
 * `signal` rejects.
 */
export async function refine(
  net: Network,
  failure: RequestFailure,
  endpoint: string,
  signal: AbortSignal,
): Promise<RequestFailure> {
  if (failure.code === 'network' && !(await isOriginAllowed(net, endpoint, signal)))
    failure = { code: 'origin_not_allowed' };
  const detail = developerDetail(failure, endpoint);
  if (detail) warnOnce(detail);
  return failure;
}

/**
 * Whether the relay takes calls from this page's origin; true when that cannot be learnt
 * either (then it is the network).
 */
async function isOriginAllowed(net: Network, endpoint: string, signal: AbortSignal): Promise<boolean> {
  try {
    const response = await net.fetch(relayUrl(endpoint, '/access'), { signal });
    return ((await response.json()) as { allowed?: unknown }).allowed !== false;
  } catch (err) {
    if (signal.aborted) throw err;
    return true;
  }
}

/** For the site's developer, what the relay said about a refusal that is theirs to fix. */
function developerDetail(failure: RequestFailure, endpoint: string): string | undefined {
  if (failure.code === 'origin_not_allowed') return `${endpoint} refuses ${location.origin}: see MT_ALLOWED_ORIGINS`;
  if (!ANSWERS[failure.code] && failure.field !== 'consent')
    return `${endpoint} refused the call: ${failure.code} ${failure.field ?? ''} ${failure.message ?? ''}`;
}

const warned = new Set<string>();

/** Says something to the developer once per page, in the console. */
function warnOnce(detail: string): void {
  if (warned.has(detail)) return;
  warned.add(detail);
  console.warn(`mt-click-to-call: ${detail}`);
}

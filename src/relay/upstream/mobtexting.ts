import { RelayError } from '../errors.js';
import { maskNumbers, type Logger } from '../log.js';
import type { C2cBody } from './c2c-body.js';
import { UpstreamTimeoutError, type UpstreamResponse, type UpstreamTransport } from './transport.js';

/** The most of Mobtexting's answer the relay reads: its answers are a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** How the relay reaches Mobtexting. */
export interface MobtextingClientOptions {
  /** Base URL ending in `/`, e.g. `https://portal.mobtexting.com/api/v2/`. */
  apiBase: string;
  token: string;
  timeoutMs: number;
  transport: UpstreamTransport;
  log: Logger;
}

/** Mobtexting's answer to an accepted call. */
export interface C2cAccepted {
  /** Mobtexting's own id, when its deployment sends one. */
  upstreamCallId?: string;
}

/**
 * Asks Mobtexting to place one call. Never retries: one request is at most one call.
 *
 * @throws {RelayError} `upstream_timeout`, `upstream_error`, `relay_misconfigured`,
 *   `call_rejected` or `rate_limited`, with messages fit for the browser.
 */
export async function postC2c(client: MobtextingClientOptions, body: C2cBody): Promise<C2cAccepted> {
  let answer: UpstreamResponse;
  try {
    answer = await client.transport({
      url: `${client.apiBase}voice/c2c`,
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${client.token}`,
      },
      body: JSON.stringify(body),
      timeoutMs: client.timeoutMs,
      maxBytes: MAX_ANSWER_BYTES,
    });
  } catch (err) {
    if (err instanceof UpstreamTimeoutError) {
      client.log('warn', 'upstream.timeout', { callId: body.mid, timeoutMs: client.timeoutMs });
      throw new RelayError('upstream_timeout', 'The call service did not answer in time. Please try again.', {
        uncertain: true,
      });
    }
    client.log('error', 'upstream.unreachable', { callId: body.mid, reason: errorReason(err) });
    throw new RelayError('upstream_error', 'The call service could not be reached. Please try again.');
  }
  return interpret(client, body.mid, answer.status, answer.text ?? '', answer.retryAfter);
}

function interpret(
  client: MobtextingClientOptions,
  callId: string,
  status: number,
  text: string,
  retryAfter: string | null,
): C2cAccepted {
  const answer = parseAnswer(text);
  const bodyStatus = answer?.status;
  const effective =
    status >= 200 && status < 300 && bodyStatus !== undefined && !isSuccessStatus(bodyStatus)
      ? Number(bodyStatus) || 500
      : status;
  if (effective >= 200 && effective < 300 && answer) {
    return typeof answer.callId === 'string' ? { upstreamCallId: answer.callId } : {};
  }
  // Only a refusal is logged, with what Mobtexting said, masked.
  const detail = {
    callId,
    httpStatus: status,
    upstreamStatus: bodyStatus === undefined ? undefined : String(bodyStatus),
    upstreamMessage: excerpt(answer?.message ?? text, client.token),
  };
  if (effective >= 200 && effective < 300) {
    client.log('error', 'upstream.unparsable', detail);
    throw new RelayError(
      'upstream_error',
      'The call service gave an answer the relay could not read. The call may still come.',
      { uncertain: true },
    );
  }
  if (effective === 401 || effective === 403 || effective === 404) {
    const hint = effective === 404 ? 'check MT_API_BASE' : 'check MT_API_TOKEN and its IP whitelist';
    client.log('error', 'upstream.misconfigured', { ...detail, hint });
    throw new RelayError(
      'relay_misconfigured',
      'This call button is not set up correctly. The site owner has been told.',
    );
  }
  if (effective === 429) {
    client.log('warn', 'upstream.rate_limited', detail);
    const seconds = Math.min(Math.max(Number(retryAfter) || 60, 1), 3600);
    throw new RelayError('rate_limited', 'Too many calls are being placed right now. Please try again shortly.', {
      retryAfter: seconds,
      scope: 'upstream',
    });
  }
  if (effective >= 400 && effective < 500) {
    client.log('warn', 'upstream.rejected', detail);
    throw new RelayError(
      'call_rejected',
      'The call service refused to place this call. Check the number and try again.',
    );
  }
  client.log('error', 'upstream.failed', detail);
  throw new RelayError('upstream_error', 'The call service had a problem. Please try again in a moment.');
}

interface UpstreamAnswer {
  status?: unknown;
  message?: string;
  callId?: unknown;
}

function parseAnswer(text: string): UpstreamAnswer | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    const record = value as Record<string, unknown>;
    return {
      status: record.status,
      message: typeof record.message === 'string' ? record.message : undefined,
      callId: record.callId,
    };
  } catch {
    return undefined;
  }
}

function isSuccessStatus(status: unknown): boolean {
  return status === 200 || status === 202 || (typeof status === 'string' && /^(200|202|ok|success)$/i.test(status));
}

/**
 * A short, safe excerpt of Mobtexting's answer for the operator's log: the token and any
 * phone number are hidden before it is cut, so a cut cannot leave a piece the redaction
 * would no longer recognise.
 */
function excerpt(text: string, token: string): string {
  return maskNumbers(text.split(token).join('[redacted]').replace(/\s+/g, ' ')).slice(0, 200);
}

function errorReason(err: unknown): string {
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  return cause instanceof Error ? ((cause as { code?: string }).code ?? cause.message) : String(cause);
}

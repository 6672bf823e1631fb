/** One JSON POST to the provider, as the relay sends it. */
export interface UpstreamRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** How long to wait for the whole answer. */
  timeoutMs: number;
  /** The most of the answer's body that is read; more makes the answer unreadable. */
  maxBytes: number;
}

/** What the relay reads of the provider's answer. */
export interface UpstreamResponse {
  status: number;
  retryAfter: string | null;
  /** The body, or `undefined` when it was larger than `maxBytes`. */
  text: string | undefined;
}

/** Thrown by a transport when the answer did not come in time: the call may still ring. */
export class UpstreamTimeoutError extends Error {
  constructor() {
    super('The provider did not answer in time.');
    this.name = 'UpstreamTimeoutError';
  }
}

/**
 * How the relay reaches the provider: sends one request and reads its answer, throwing
 * {@link UpstreamTimeoutError} on time-out and any other error when it cannot connect.
 * `fetchTransport` works on every runtime; the Node server uses a keep-alive client.
 */
export type UpstreamTransport = (request: UpstreamRequest) => Promise<UpstreamResponse>;

/** A transport that can let go of its connections (the Node server's). */
export type ClosableTransport = UpstreamTransport & { close(): void };

/**
 * A transport over `fetch`, for any runtime. Each request has its own abort signal and
 * timer, released as soon as the answer is read.
 */
export function fetchTransport(send: typeof fetch): UpstreamTransport {
  return async ({ url, headers, body, timeoutMs, maxBytes }) => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      const response = await send(url, { method: 'POST', headers, body, signal: abort.signal });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        text: await readCapped(response, maxBytes),
      };
    } catch (err) {
      if (abort.signal.aborted) throw new UpstreamTimeoutError();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  };
}

/** Reads a body as text, stopping (and answering `undefined`) past `maxBytes`. */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UpstreamTimeoutError, type UpstreamResponse, type UpstreamTransport } from '../upstream/transport.js';

/** A transport that can let go of its connections. */
export type ClosableTransport = UpstreamTransport & { close(): void };

/**
 * A transport over `node:http`/`node:https` with keep-alive connections: on Node it costs a
 * fraction of the CPU of `fetch` per request (measured: about a third), and each request
 * has one timer of its own, cleared when its answer is read, and no abort signal.
 */
export function nodeHttpTransport(options: { maxSockets?: number } = {}): ClosableTransport {
  const maxSockets = options.maxSockets ?? 64;
  const agents = {
    http: new Agent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets }),
  };
  const transport: UpstreamTransport = ({ url, headers, body, timeoutMs, maxBytes }) =>
    new Promise<UpstreamResponse>((resolve, reject) => {
      const target = new URL(url);
      const secure = target.protocol === 'https:';
      let settled = false;
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const read = (res: IncomingMessage) => {
        const answer = { status: res.statusCode ?? 0, retryAfter: headerValue(res.headers['retry-after']) };
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // More than any answer of Mobtexting's: stop reading, and the answer is unreadable.
            settle(() => resolve({ ...answer, text: undefined }));
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => settle(() => resolve({ ...answer, text: Buffer.concat(chunks, size).toString('utf8') })));
        res.on('error', (err) => settle(() => reject(err)));
      };
      const send = secure ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
        },
        read,
      );
      const timer = setTimeout(() => {
        settle(() => reject(new UpstreamTimeoutError()));
        req.destroy();
      }, timeoutMs);
      req.on('error', (err) => settle(() => reject(err)));
      req.end(body);
    });
  return Object.assign(transport, {
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  });
}

function headerValue(value: string | string[] | undefined): string | null {
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

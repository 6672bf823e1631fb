import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server on 127.0.0.1 and a free port, stopped by `close()`. */
export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/** Serves a Hono app over real HTTP. */
export async function serveApp(app: Hono, basePath = ''): Promise<TestServer> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${basePath}`,
    close: () => closeServer(server),
  };
}

/** One request a {@link FakeUpstream} received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/**
 * What a fake upstream answers: status, headers, body; `hang` never answers; `endless`
 * answers 200 and then sends body for ever.
 */
export type UpstreamReply = { status: number; body: string; headers?: Record<string, string> } | 'hang' | 'endless';

/** An HTTP server standing in for Mobtexting, answering what the test says and recording every request. */
export interface FakeUpstream extends TestServer {
  apiBase: string;
  requests: ReceivedRequest[];
  reply: UpstreamReply;
}

/** Starts a fake Mobtexting API; by default it accepts every call like the document. */
export async function startFakeUpstream(): Promise<FakeUpstream> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const fake = {
    requests,
    reply: {
      status: 200,
      body: JSON.stringify({
        callId: '26074c32-b316-4ffa-99d7-9f6a99da56d6',
        message: 'call initiated successfully',
        status: 200,
      }),
    } as UpstreamReply,
  };
  const server = createServer((req, res) => {
    // Recorded as it arrives: a request the relay gives up on half-way still counts.
    const received: ReceivedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    requests.push(received);
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (received.body += chunk));
    req.on('end', () => {
      const reply = fake.reply;
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      if (reply === 'endless') {
        hanging.add(res);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        const chunk = `{"pad":"${'x'.repeat(16 * 1024)}`;
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        pump();
        return;
      }
      res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    url,
    apiBase: `${url}/api/v2/`,
    close: async () => {
      for (const res of hanging) res.destroy();
      await closeServer(server);
    },
  });
}

/** Closes a server and every connection it still has. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/* eslint-disable @typescript-eslint/no-explicit-any -- the benchmarks read the relay's JSON without a schema */
import { Agent, request } from 'node:http';

/** An agent that opens as many sockets as asked, each used once. */
export const agent = new Agent({ keepAlive: false, maxSockets: Infinity });

/** POSTs JSON and answers the status and parsed body. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** GETs JSON. */
export async function getJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}

/** An open event stream: calls `onState` with each state event's data and its arrival time. */
export interface Stream {
  close(): void;
  closed: Promise<void>;
}

export function openStream(url: string, onState: (data: any, at: number) => void): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = /^data: (.*)$/m.exec(block);
          if (/^event: state$/m.test(block) && data) onState(JSON.parse(data[1]!), at);
        }
      });
      const closed = new Promise<void>((done) => res.once('close', () => done()));
      resolve({ close: () => req.destroy(), closed });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Runs `task` over `items`, at most `limit` at a time, in order of start. */
export async function inBatches<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index]!, index);
      }
    }),
  );
  return results;
}

/** A distinct valid Indian mobile number for each index. */
export const benchNumber = (i: number) => `+91 9${String(i).padStart(9, '0')}`;

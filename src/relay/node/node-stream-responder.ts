import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { ServerResponse } from 'node:http';
import type { EventSink, StreamResponder } from '../http/event-sink.js';

/**
 * Event streams written straight to Node's response, without a web `ReadableStream` in
 * between, and kept alive by one timer for all of them rather than one each: an open
 * stream then costs a few kilobytes less memory, which adds up at thousands of streams.
 */
export function nodeStreamResponder(): StreamResponder {
  const open = new Set<NodeSink>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let heartbeatMs = 0;
  const keepAlive = (everyMs: number) => {
    if (heartbeat && heartbeatMs === everyMs) return;
    clearInterval(heartbeat);
    heartbeatMs = everyMs;
    heartbeat = setInterval(() => {
      for (const sink of open) sink.write(': keep-alive\n\n');
    }, everyMs);
    heartbeat.unref();
  };
  const closed = (sink: NodeSink) => {
    open.delete(sink);
    if (open.size > 0) return;
    clearInterval(heartbeat);
    heartbeat = undefined;
  };
  return (c, headers, everyMs, start) => {
    const res = (c.env as { outgoing: ServerResponse }).outgoing;
    res.writeHead(200, headers);
    res.flushHeaders();
    const sink = new NodeSink(res, closed);
    open.add(sink);
    keepAlive(everyMs);
    sink.started = start(sink);
    return RESPONSE_ALREADY_SENT;
  };
}

/** One open stream's response. */
class NodeSink implements EventSink {
  started: { stop(): void } | undefined;
  readonly #res: ServerResponse;
  readonly #closed: (sink: NodeSink) => void;
  #live = true;

  constructor(res: ServerResponse, closed: (sink: NodeSink) => void) {
    this.#res = res;
    this.#closed = closed;
    res.once('close', () => this.#finish());
  }

  write(text: string): void {
    if (this.#live && !this.#res.destroyed) this.#res.write(text);
  }

  end(): void {
    if (!this.#live) return;
    this.#finish();
    this.#res.end();
  }

  #finish(): void {
    if (!this.#live) return;
    this.#live = false;
    this.#closed(this);
    this.started?.stop();
  }
}

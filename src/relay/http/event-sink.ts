import type { Context } from 'hono';

/** Where an event stream writes: the open response of one client. */
export interface EventSink {
  /** Writes text to the client; does nothing once the stream is over. */
  write(text: string): void;
  /** Ends the response. */
  end(): void;
}

/** What an event stream does with its sink: starts, and answers how to stop it. */
export type StreamStart = (sink: EventSink) => { stop(): void };

/**
 * Answers a request with an event stream: sends `headers`, calls `start` with a sink
 * that writes to the client, writes a keep-alive comment every `heartbeatMs` while the
 * stream is open, and calls the started stream's `stop()` once, whether it ended or the
 * client went away. The default writes through a `ReadableStream` and works on every
 * runtime; the Node server writes straight to the socket's response, which costs much
 * less memory per open stream.
 */
export type StreamResponder = (
  c: Context,
  headers: Record<string, string>,
  heartbeatMs: number,
  start: StreamStart,
) => Response;

const encoder = new TextEncoder();

/** The responder of every runtime: a `ReadableStream` body with its own heartbeat timer. */
export const webStreamResponder: StreamResponder = (_c, headers, heartbeatMs, start) => {
  let stop = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let started: { stop(): void } | undefined;
      const finish = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        started?.stop();
      };
      stop = finish;
      const sink: EventSink = {
        write: (text) => {
          if (open) controller.enqueue(encoder.encode(text));
        },
        end: () => {
          if (!open) return;
          finish();
          controller.close();
        },
      };
      heartbeat = setInterval(() => sink.write(': keep-alive\n\n'), heartbeatMs);
      started = start(sink);
    },
    // The client went away: writing or closing now would throw, so only let go.
    cancel() {
      stop();
    },
  });
  return new Response(body, { status: 200, headers });
};

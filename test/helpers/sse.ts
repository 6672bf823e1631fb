/** One Server-Sent Events message, or a comment line. */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** An open event stream and the messages read from it so far. */
export interface SseReader {
  response: Response;
  messages: SseMessage[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  /** Waits until `count` messages of type `state` have arrived. */
  states(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Closes the stream from the client's side. */
  close(): void;
}

/** Opens an event stream with fetch (or `send`) and parses its messages as they arrive. */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
  send: (url: string, init: RequestInit) => Promise<Response> = fetch,
): Promise<SseReader> {
  const abort = new AbortController();
  const response = await send(url, { headers: { Accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const messages: SseMessage[] = [];
  const waiters = new Set<() => void>();
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          messages.push(parse(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
          for (const wake of waiters) wake();
        }
      }
    } catch {
      // closed by the client
    }
  })();
  const states = async (count: number, timeoutMs = 5000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.filter((m) => m.event === 'state');
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`only ${found.length} state events: ${JSON.stringify(messages)}`);
      await Promise.race([
        new Promise<void>((resolve) => waiters.add(resolve)),
        new Promise((resolve) => setTimeout(resolve, 50)),
      ]);
    }
  };
  return { response, messages, ended, states, close: () => abort.abort() };
}

function parse(block: string): SseMessage {
  const message: SseMessage = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) message.comment = line.slice(1).trim();
    const match = /^(id|event|data|retry): ?(.*)$/.exec(line);
    if (match) message[match[1] as 'id' | 'event' | 'data' | 'retry'] = match[2];
  }
  return message;
}

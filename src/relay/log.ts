/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Values a log line may carry: never a full phone number or a secret. */
export type LogFields = Record<string, string | number | boolean | undefined>;

/**
 * Where the relay writes its log lines. The default writes one JSON object per line to
 * standard output (standard error for warnings and errors).
 */
export type Logger = (level: LogLevel, event: string, fields?: LogFields) => void;

/** A logger that writes structured one-line JSON. */
export function jsonLogger(write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  return (level, event, fields) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }), level);
  };
}

// console rather than process streams, so the relay logs the same on Workers, Deno and Bun.
function defaultWrite(line: string, level: LogLevel): void {
  if (level === 'warn' || level === 'error') console.error(line);
  else console.log(line);
}

/** A logger that drops everything (tests, benchmarks). */
export const silentLogger: Logger = () => {};

/**
 * A phone number as it may appear in any text: seven or more digits, possibly written with
 * spaces, dashes, brackets or a leading `+` between them (`+91 98222 00001`,
 * `(919822-200001)`), standing on its own: not part of a longer word such as a call id
 * (`12345678-1234-4abc-…`). Dots are not separators, so addresses like `198.51.100.7` stay.
 */
const PHONE_LIKE = /(?<![\w-])\+?\d(?:[\s()-]*\d){6,}(?![\w-])/g;

/**
 * Masks every phone number in a text, keeping the first two and last three digits
 * (`91…001`): the one masking rule for everything the relay logs.
 */
export function maskNumbers(text: string): string {
  return text.replace(PHONE_LIKE, (found) => {
    const digits = found.replace(/\D/g, '');
    return `${digits.slice(0, 2)}…${digits.slice(-3)}`;
  });
}

/**
 * Wraps a logger so that no line can carry any of `secrets` or a full phone number,
 * whatever a caller puts in it: every string field is masked ({@link maskNumbers}) and
 * scrubbed of the secrets. A second guard behind the rule that neither is logged at all.
 */
export function redactingLogger(inner: Logger, secrets: readonly (string | undefined)[]): Logger {
  const hidden = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const scrub = (value: string) =>
    maskNumbers(
      hidden.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join('[redacted]') : text), value),
    );
  return (level, event, fields) => {
    if (!fields) return inner(level, event);
    const clean: LogFields = {};
    for (const [key, value] of Object.entries(fields)) clean[key] = typeof value === 'string' ? scrub(value) : value;
    inner(level, event, clean);
  };
}

/**
 * Wraps a logger so that a warning a client can cause at will (a rate limit, a refused
 * origin, a webhook without its secret) is written once a minute per kind, not once per
 * request: the first line of a window goes through, later ones are counted, and the count
 * is written (`log.repeated`, with `event`, `kind` and `count`) with the next line of that
 * kind after the window, or by `flush()`. A kind is the event and, where named, one of its
 * fields (e.g. the refused origin).
 */
export function aggregatingLogger(
  inner: Logger,
  events: Readonly<Record<string, string | null>>,
  now: () => number,
  windowMs = 60_000,
): Logger & { flush(): void } {
  const windows = new Map<string, { event: string; kind: string; since: number; suppressed: number }>();
  const report = (key: string) => {
    const window = windows.get(key)!;
    if (window.suppressed > 0) {
      inner('warn', 'log.repeated', { event: window.event, kind: window.kind, count: window.suppressed });
    }
    windows.delete(key);
  };
  const log: Logger = (level, event, fields) => {
    const by = events[event];
    if (by === undefined) return inner(level, event, fields);
    const kind = by === null ? '' : String(fields?.[by] ?? '');
    const key = `${event}\u0000${kind}`;
    const window = windows.get(key);
    if (window && now() - window.since < windowMs) {
      window.suppressed++;
      return;
    }
    if (window) report(key);
    windows.set(key, { event, kind, since: now(), suppressed: 0 });
    inner(level, event, fields);
  };
  return Object.assign(log, {
    flush() {
      for (const [key, window] of windows) if (now() - window.since >= windowMs) report(key);
    },
  });
}

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
 * Wraps a logger so that no line can carry any of `secrets`, whatever a caller puts in it.
 * A second guard behind the rule that secrets are never logged at all.
 */
export function redactingLogger(inner: Logger, secrets: readonly (string | undefined)[]): Logger {
  const hidden = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4);
  if (hidden.length === 0) return inner;
  const scrub = (value: string) =>
    hidden.reduce((text, secret) => (text.includes(secret) ? text.split(secret).join('[redacted]') : text), value);
  return (level, event, fields) => {
    if (!fields) return inner(level, scrub(event));
    const clean: LogFields = {};
    for (const [key, value] of Object.entries(fields)) clean[key] = typeof value === 'string' ? scrub(value) : value;
    inner(level, scrub(event), clean);
  };
}

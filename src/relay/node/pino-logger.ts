import { pino, type Logger as Pino } from 'pino';
import type { Logger } from '../log.js';

/**
 * The Node server's logger: pino, writing one JSON object per line without blocking the
 * event loop, info and below to standard output, warnings and errors to standard error.
 * Lines look like the relay's own JSON logger's (`level` as a word, `time` as ISO, then
 * `event` and its fields); what reaches it is already masked by the relay.
 */
export function pinoLogger(destination?: Pino): Logger {
  const base =
    destination ??
    pino(
      {
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      pino.multistream(
        [
          { level: 'debug', stream: pino.destination({ dest: 1, sync: false }) },
          { level: 'warn', stream: pino.destination({ dest: 2, sync: false }) },
        ],
        { dedupe: true },
      ),
    );
  base.level = 'debug';
  return (level, event, fields) => base[level]({ event, ...fields });
}

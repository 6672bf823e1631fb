import type { Context } from 'hono';
import { ActivityHub } from './calls/activity.js';
import { CallLifecycle } from './calls/lifecycle.js';
import type { RelayOptions } from './config/options.js';
import { RelayConfigError, validateSettings, type RelaySettings } from './config/settings.js';
import { HistoryRecorder } from './history/recorder.js';
import { clientAddress } from './http/client-address.js';
import { webStreamResponder, type StreamResponder } from './http/event-sink.js';
import { StreamGate } from './http/stream-gate.js';
import { aggregatingLogger, jsonLogger, redactingLogger, type Logger } from './log.js';
import { schedulesOf, type TargetSchedule } from './scheduling/schedule.js';
import { keepsHistory } from './store/history.js';
import { MemoryCallStore } from './store/memory/memory-store.js';
import type { CallStore } from './store/roles.js';
import { StoreUnavailableError } from './store/unavailable.js';
import { fetchTransport } from './upstream/transport.js';
import { NumberVerifications } from './verify/verifications.js';

/**
 * Warnings any client can cause at will, written once a minute per kind (the field that
 * tells kinds apart, if any): one client must not be able to flood the log.
 */
const CLIENT_CAUSED = {
  'call.rate_limited': 'limit',
  'verification.rate_limited': 'limit',
  'verification.wrong_code': null,
  'stream.refused': 'limit',
  'webhook.unauthorized': null,
  'origin.refused': 'origin',
  'host.refused': 'host',
} as const;

/** What the relay's routes and middleware work with, resolved once from its options. */
export interface RelayContext {
  settings: RelaySettings;
  store: CallStore;
  /** Starts, books, finds, withdraws, ends and sweeps calls. */
  calls: CallLifecycle;
  /** Verifies numbers by a code their IVR call speaks. */
  verifications: NumberVerifications;
  /** When each target answers and which callback slots it offers, by target name. */
  schedules: Readonly<Record<string, TargetSchedule>>;
  /** Where log lines go: secrets and numbers masked, warnings a client can cause aggregated. */
  log: Logger & { flush(): void };
  now: () => number;
  /** The client's address, as the relay is set up to find it. */
  clientAddress: (c: Context) => string | undefined;
  /** The event streams this process holds, and their caps. */
  streams: StreamGate;
  /** How loaded the server is, when the host says (for `/health`). */
  load: RelayOptions['load'];
  /** How event streams are written to clients. */
  respondWithStream: StreamResponder;
  /** What happens, told where it happens: the history and the metrics listen. */
  activity: ActivityHub;
  /** Keeps the history rows, unless `historyDays` is 0 or the store keeps no history. */
  history: HistoryRecorder | undefined;
}

/**
 * Validates the options and builds what the routes share.
 *
 * @throws {RelayConfigError} listing every problem.
 */
export function createRelayContext(options: RelayOptions): RelayContext {
  const validated = validateSettings(options);
  if (!validated.ok) throw new RelayConfigError(validated.problems);
  const settings = validated.value;
  const now = options.now ?? Date.now;
  const addOnSecrets = [options.console, options.metrics].flatMap((addOn) => addOn?.secrets ?? []);
  const secrets = [settings.apiToken, settings.webhookSecret, settings.ticketSecret, ...addOnSecrets];
  const log = aggregatingLogger(redactingLogger(options.logger ?? jsonLogger(), secrets), CLIENT_CAUSED, now);
  const store = options.store ?? new MemoryCallStore({ now });
  const ownNumbers = Object.values(settings.targets).flatMap((t) => [t.to, ...(t.bridge ? [t.bridge] : [])]);
  const policy = {
    defaultCountry: settings.allowedCountries[0]!,
    allowedCountries: new Set(settings.allowedCountries),
  };
  const schedules = schedulesOf(settings.targets);
  const activity = new ActivityHub((err) =>
    log('error', 'activity.listener_failed', { reason: err instanceof Error ? err.message : String(err) }),
  );
  const history =
    settings.historyDays > 0 && keepsHistory(store)
      ? new HistoryRecorder({
          store,
          keepMs: settings.historyDays * 86_400_000,
          now,
          failed: (err) => {
            activity.emit({ type: 'store.failed', operation: 'history', at: now() });
            if (!(err instanceof StoreUnavailableError)) {
              log('error', 'history.write_failed', { reason: err instanceof Error ? err.message : String(err) });
            }
          },
        })
      : undefined;
  if (history) activity.listen(history.listen);
  const calls = new CallLifecycle({
    settings,
    store,
    log,
    now,
    schedules,
    upstream: {
      apiBase: settings.apiBase,
      token: settings.apiToken,
      timeoutMs: settings.upstreamTimeoutMs,
      transport: options.transport ?? fetchTransport(options.fetch ?? globalThis.fetch.bind(globalThis)),
      log,
    },
    policy,
    ownNumbers: new Set([settings.bridge, ...ownNumbers]),
    ...(options.verifyHuman && { verifyHuman: options.verifyHuman }),
    ...(options.onCallEnded && { onCallEnded: options.onCallEnded }),
    activity: activity.emit,
  });
  const verifications = new NumberVerifications({
    settings,
    store,
    calls,
    log,
    now,
    targets: settings.targets,
    policy,
    ...(options.verifyHuman && { verifyHuman: options.verifyHuman }),
    activity: activity.emit,
  });
  return {
    settings,
    store,
    calls,
    verifications,
    schedules,
    log,
    now,
    clientAddress: options.clientIp ?? ((c) => clientAddress(c, settings.trustProxy)),
    streams: new StreamGate({ perAddress: settings.streamsPerAddress, perCall: settings.streamsPerCall }),
    load: options.load,
    respondWithStream: options.respondWithStream ?? webStreamResponder,
    activity,
    history,
  };
}

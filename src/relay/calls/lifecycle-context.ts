import type { CallEndedReport } from '../config/options.js';
import type { RelaySettings } from '../config/settings.js';
import type { Logger } from '../log.js';
import type { PhonePolicy } from '../phone/visitor-number.js';
import type { TargetSchedule } from '../scheduling/schedule.js';
import type { CallRecords, NumberClaims, OnceClaims, RateLimitCounters, SlotReservations } from '../store/roles.js';
import type { MobtextingClientOptions } from '../upstream/mobtexting.js';
import type { ActivityListener } from './activity.js';
import type { Ticket } from './tickets.js';

/** What the call lifecycle works with. */
export interface LifecycleContext {
  settings: RelaySettings;
  store: CallRecords & NumberClaims & OnceClaims & RateLimitCounters & SlotReservations;
  upstream: MobtextingClientOptions;
  policy: PhonePolicy;
  log: Logger;
  now: () => number;
  /** When each target answers and which callback slots it offers, by target name. */
  schedules: Readonly<Record<string, TargetSchedule>>;
  /** The business's own numbers (every target's number and bridge): never dialled as a visitor. */
  ownNumbers: ReadonlySet<string>;
  verifyHuman?: (token: string, address: string | undefined) => boolean | Promise<boolean>;
  onCallEnded?: (report: CallEndedReport) => void | Promise<void>;
  /** Told at each transition of a call (the history and the metrics listen). */
  activity?: ActivityListener;
}

/** Who asked for a call: the client's address, the verified ticket it carried, if any, and its page's origin. */
export interface Requester {
  address?: string;
  ticket?: Ticket;
  origin?: string;
}

/**
 * Takes work that may outlive the request or alarm that started it (the site's hook):
 * `waitUntil` on Workers; elsewhere the process simply lets it run.
 */
export type Background = (work: Promise<unknown>) => void;

/** The {@link Background} of a process that lets work run on its own. */
export const detach: Background = () => {};

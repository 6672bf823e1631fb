import type { Hono } from 'hono';
import type { RelayContext } from './context.js';
import type { RelayEnv } from './http/respond.js';

/**
 * A capability plugged into the relay from an entry of its own (the console,
 * `mt-click-to-call/relay/console`; the metrics, `…/relay/metrics`), so the core stays
 * small and runs everywhere. The relay attaches it once: it may listen to the relay's
 * activity and answers its routes, which the relay mounts at `path` before the rule on
 * pages' origins (an add-on's routes keep their own rules).
 */
export interface RelayAddOn {
  /** Where its routes go under the relay's base path (`/console`). */
  readonly path: string;
  /** What the relay's log must never show (the add-on's token). */
  readonly secrets: readonly string[];
  attach(relay: RelayContext): AttachedAddOn;
}

/** An add-on attached to one relay. */
export interface AttachedAddOn {
  routes: Hono<RelayEnv>;
  /** Lets go of timers and streams when the relay closes. */
  close?(): Promise<void>;
}

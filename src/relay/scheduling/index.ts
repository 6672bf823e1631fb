/**
 * Business hours and callback slots, for a site's own pages and servers:
 * `mt-click-to-call/relay/scheduling`. The relay itself reads a target's `hours`,
 * `holidays`, `slots` and `retry` (it refuses calls while closed, offers and books slots,
 * redials); this entry gives the same reading to code outside it, to say on a page
 * whether a team is open without asking the relay.
 *
 * @example
 * ```ts
 * import { targetSchedule } from 'mt-click-to-call/relay/scheduling';
 *
 * const sales = targetSchedule({ hours: { timezone: 'Asia/Kolkata', 'mon-fri': '09:30-18:30' } });
 * const { open, opensAt } = sales.view(Date.now());
 * ```
 */
import * as z from 'zod';
import { RelayConfigError, validate } from '../config/settings.js';
import type { TargetInput } from '../config/targets.js';
import { TargetSchedule } from './schedule.js';
import { checkScheduling, schedulingFields } from './schema.js';

export { TargetSchedule, MAX_SLOTS, type ScheduleView, type SlotRules } from './schedule.js';
export type { WeeklyHours, MinuteRange } from './hours.js';
export { SLOT_MINUTES, RETRYABLE_STATES, type RetryRule } from './schema.js';

const schedulingSchema = z.object(schedulingFields).superRefine(checkScheduling);

/**
 * The schedule of a target as configured (its `hours`, `holidays` and `slots`).
 *
 * @throws {RelayConfigError} listing every problem, as the relay would at start.
 */
export function targetSchedule(target: Pick<TargetInput, 'hours' | 'holidays' | 'slots'>): TargetSchedule {
  const checked = validate(schedulingSchema, target);
  if (!checked.ok) throw new RelayConfigError(checked.problems);
  const { hours, holidays, slots } = checked.value;
  return new TargetSchedule(hours, holidays, slots);
}

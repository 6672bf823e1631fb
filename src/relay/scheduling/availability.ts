import { wireTime, type Availability } from '../../protocol/index.js';
import type { SlotReservations } from '../store/roles.js';
import { slotKey, type TargetSchedule } from './schedule.js';

/**
 * What `GET /targets/:target/availability` answers: whether the target is open now, when
 * it next opens and closes, and its slots that still take a booking, with how many each
 * takes. The schedule is worked out once a minute; only the places taken are read, in
 * one store request.
 */
export async function availabilityOf(
  name: string,
  schedule: TargetSchedule,
  places: SlotReservations,
  now: number,
): Promise<Availability> {
  const view = schedule.view(now);
  const starts = view.slots.filter((at) => at > now);
  const taken = starts.length > 0 ? await places.countSlots(starts.map((at) => slotKey(name, at))) : [];
  const capacity = schedule.slots?.perSlot ?? 0;
  return {
    target: name,
    open: view.open,
    timezone: schedule.timezone,
    ...(view.opensAt !== undefined && { opensAt: wireTime(view.opensAt) }),
    ...(view.closesAt !== undefined && { closesAt: wireTime(view.closesAt) }),
    slots: starts
      .map((at, i) => ({ at: wireTime(at), left: capacity - (taken[i] ?? 0) }))
      .filter((slot) => slot.left > 0),
  };
}

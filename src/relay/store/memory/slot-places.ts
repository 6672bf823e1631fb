import type { SlotReservations } from '../roles.js';

/**
 * Places in callback slots, in this process's memory: for each slot, the calls holding a
 * place and until when. Slots whose places all lapsed are dropped in one pass now and
 * then (as often as there are slots), so memory follows the slots still on offer.
 */
export class SlotPlaces implements SlotReservations {
  readonly #slots = new Map<string, Map<string, number>>();
  readonly #now: () => number;
  #writesSincePrune = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  async reserveSlot(slot: string, callId: string, capacity: number, until: number): Promise<boolean> {
    const now = this.#now();
    this.#prune(now);
    const places = this.#held(slot, now);
    if (places?.has(callId)) return true;
    if ((places?.size ?? 0) >= capacity) return false;
    if (places) places.set(callId, until);
    else this.#slots.set(slot, new Map([[callId, until]]));
    return true;
  }

  async releaseSlot(slot: string, callId: string): Promise<void> {
    const places = this.#slots.get(slot);
    places?.delete(callId);
    if (places?.size === 0) this.#slots.delete(slot);
  }

  async countSlots(slots: readonly string[]): Promise<number[]> {
    const now = this.#now();
    return slots.map((slot) => {
      let count = 0;
      for (const until of this.#slots.get(slot)?.values() ?? []) if (until > now) count++;
      return count;
    });
  }

  /** A slot's places, the lapsed ones dropped. */
  #held(slot: string, now: number): Map<string, number> | undefined {
    const places = this.#slots.get(slot);
    for (const [callId, until] of places ?? []) if (until <= now) places!.delete(callId);
    return places;
  }

  #prune(now: number): void {
    if (++this.#writesSincePrune < Math.max(1024, this.#slots.size)) return;
    this.#writesSincePrune = 0;
    for (const slot of [...this.#slots.keys()]) if (this.#held(slot, now)?.size === 0) this.#slots.delete(slot);
  }
}

import { fill, html, nothing } from '../shared.js';
import type { TemplateResult } from 'lit';
import type { Availability } from '../../protocol/index.js';
import type { CallController } from '../call-controller.js';
import type { MtClickToCall } from '../mt-click-to-call.component.js';
import type { WidgetStrings } from '../strings.js';
import { fetchAvailability, withdrawCall } from './relay.js';
import { dayLabel, dayOf, momentLabel, timeLabel, visitorZone } from './times.js';

/** What the slots chunk adds to the widget's status: its sentence, if it has one, and what goes below. */
export interface SlotView {
  /** The status line's sentence, instead of the widget's own. */
  text?: string;
  /** The picker, Call me back later, or a booked callback's Cancel. */
  content: TemplateResult | typeof nothing;
}

/** Outcomes after which the visitor is offered a callback later. */
const OFFERS_LATER = new Set(['no-answer', 'agent-unavailable']);

/**
 * One widget's callback slots: the picker shown while its target is closed (or once the
 * visitor asks to be called back later), and the booked callback with its Cancel. It
 * books through the widget (`call(at)`), so a booking carries all a call does.
 */
export class SlotPicker {
  readonly #host: MtClickToCall;
  /** The target's availability: `null` while it is asked; `undefined` before, or when it could not be had. */
  #availability: Availability | null | undefined;
  /** Whether the relay could not be asked. */
  #unreachable = false;
  /** The visitor asked to be called back later. */
  #picking = false;
  /** The day shown (`2026-12-02`) and the slot chosen (its `at`). */
  #day: string | undefined;
  #chosen: string | undefined;

  constructor(host: MtClickToCall) {
    this.#host = host;
  }

  /** What the chunk shows for the widget's call as it stands, in the texts `s` of language `lang`. */
  view(s: WidgetStrings, controller: CallController, lang: string): SlotView {
    const { state, call, failure } = controller;
    if (state === 'scheduled' && call?.at) {
      this.#picking = false;
      return {
        text: fill(call.retry ? s.redial : s.scheduled, { time: momentLabel(call.at, lang) }),
        content: html`<button class="link" type="button" @click=${() => this.#withdraw(controller)}>
          ${s.withdraw}
        </button>`,
      };
    }
    const closed = failure?.code === 'target_closed';
    if (closed || failure?.code === 'slot_full' || (this.#picking && OFFERS_LATER.has(state))) {
      const opensAt = closed && failure.opensAt;
      const opens = opensAt && fill(s.opens, { time: momentLabel(opensAt, lang) });
      return { ...(opens && { text: `${s.closed} ${opens}` }), content: this.#renderPicker(s, lang) };
    }
    this.#picking = false;
    if (!OFFERS_LATER.has(state)) return { content: nothing };
    return {
      content: html`<button class="link" type="button" @click=${this.#pickLater}>${s.later}</button>`,
    };
  }

  #renderPicker(s: WidgetStrings, lang: string): TemplateResult {
    if (this.#availability === undefined && !this.#unreachable) void this.#ask();
    const slots = this.#availability?.slots ?? [];
    const days = [...new Map(slots.map((slot) => [dayOf(slot.at), slot.at])).entries()];
    const day = days.some(([key]) => key === this.#day) ? this.#day : days[0]?.[0];
    const zone = this.#availability?.timezone;
    const note =
      zone && zone !== 'UTC' && zone !== visitorZone() && fill(s.zoneNote, { yours: visitorZone(), ours: zone });
    const body = this.#unreachable
      ? html`<p>${s.network}</p>`
      : !this.#availability
        ? nothing
        : slots.length === 0
          ? html`<p>${s.noSlots}</p>`
          : html`<div class="choices" role="group" aria-label=${s.pickTime}>
                ${days.map(
                  ([key, at]) =>
                    html`<button type="button" aria-pressed=${key === day} @click=${() => this.#show(key)}>
                      ${dayLabel(at, lang)}
                    </button>`,
                )}
              </div>
              <div class="choices">
                ${slots
                  .filter((slot) => dayOf(slot.at) === day)
                  .map(
                    ({ at }) =>
                      html`<button
                        part="slot"
                        type="button"
                        aria-pressed=${at === this.#chosen}
                        aria-label=${momentLabel(at, lang)}
                        @click=${() => this.#choose(at)}
                      >
                        ${timeLabel(at, lang)}
                      </button>`,
                  )}
              </div>
              ${note ? html`<p class="zone">${note}</p>` : nothing}
              <button class="book" type="button" aria-disabled=${!this.#chosen} @click=${this.#book}>
                ${s.book}
              </button>`;
    return html`<div part="slots" role="group" aria-labelledby="slots-title" aria-busy=${!this.#availability}>
      <p id="slots-title">${s.pickTime}</p>
      ${body}
    </div>`;
  }

  /** Asks the relay for the target's free slots, once per picker shown. */
  async #ask(): Promise<void> {
    this.#availability = null;
    const { endpoint, target } = this.#host;
    const availability = await fetchAvailability(endpoint, target ?? 'default');
    this.#availability = availability;
    this.#unreachable = !availability;
    this.#host.requestUpdate();
  }

  #pickLater = (): void => {
    this.#picking = true;
    this.#availability = undefined;
    this.#unreachable = false;
    this.#host.requestUpdate();
  };

  #show(day: string): void {
    this.#day = day;
    this.#chosen = undefined;
    this.#host.requestUpdate();
  }

  #choose(at: string): void {
    this.#chosen = at;
    this.#host.requestUpdate();
  }

  /** Books the chosen slot; the slots are asked again if it fills up meanwhile. */
  #book = (): void => {
    const at = this.#chosen;
    if (!at) return;
    this.#chosen = undefined;
    this.#availability = undefined;
    this.#unreachable = false;
    this.#host.call(at);
  };

  /** Withdraws the booked callback; its stream says so too, and the first to tell ends it. */
  async #withdraw(controller: CallController): Promise<void> {
    const call = controller.call!;
    const withdrawn = await withdrawCall(this.#host.endpoint, call.callId);
    if (withdrawn) controller.update({ ...call, state: withdrawn.state });
  }
}

/** The slot picker of one widget. */
export const attach = (host: MtClickToCall): SlotPicker => new SlotPicker(host);

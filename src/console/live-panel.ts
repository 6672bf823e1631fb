import { html, LitElement } from 'lit';
import type { ConsoleApi } from './api.js';
import { dotColour } from './dot-colour.js';
import { formatClock, formatSeconds, sourceLabel, stateLabel, STATE_COLOURS } from './format.js';
import { shared } from './styles.js';

interface LiveCall {
  id: string;
  target?: string;
  phone: string;
  state: string;
  source?: string;
  requestedAt: number;
  updatedAt: number;
  talkSeconds?: number;
}

const FINAL_SHOWN_MS = 60_000;
const isOpen = (state: string) => state === 'initiated' || state === 'scheduled';

/**
 * Calls under way now, from the relay's live stream: each call appears when it is placed
 * and changes as it does; one that ended stays a minute, greyed, then goes.
 */
export class MtConsoleLive extends LitElement {
  static override properties = { api: { attribute: false }, calls: { state: true }, connected: { state: true } };
  static override styles = [shared];

  declare api: ConsoleApi;
  declare calls: Map<string, LiveCall>;
  declare connected: boolean;
  #source: EventSource | undefined;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.calls = new Map();
    this.connected = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const source = new EventSource(this.api.url('/live'));
    this.#source = source;
    source.onopen = () => (this.connected = true);
    source.onerror = () => (this.connected = false);
    source.addEventListener('snapshot', (event) => {
      const open = JSON.parse((event as MessageEvent<string>).data) as LiveCall[];
      const next = new Map([...this.calls].filter(([, call]) => !isOpen(call.state)));
      for (const call of open) next.set(call.id, { ...this.calls.get(call.id), ...call });
      this.calls = next;
    });
    const update = (event: Event) => {
      const change = JSON.parse((event as MessageEvent<string>).data) as Partial<LiveCall> & { id: string };
      const known = this.calls.get(change.id);
      if (!known && !change.phone) return;
      // A final state stays final, whichever message comes last.
      if (known && !isOpen(known.state) && change.state && isOpen(change.state)) return;
      this.calls = new Map(this.calls).set(change.id, { ...known, ...change } as LiveCall);
    };
    source.addEventListener('call', update);
    source.addEventListener('change', update);
    this.#timer = setInterval(() => this.#dropOld(), 5000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#source?.close();
    clearInterval(this.#timer);
  }

  #dropOld(): void {
    const now = Date.now();
    const kept = [...this.calls].filter(([, call]) => isOpen(call.state) || now - call.updatedAt < FINAL_SHOWN_MS);
    if (kept.length !== this.calls.size) this.calls = new Map(kept);
  }

  override render() {
    const calls = [...this.calls.values()].sort((a, b) => b.requestedAt - a.requestedAt);
    const open = calls.filter((call) => isOpen(call.state)).length;
    return html`
      <section aria-labelledby="live-title">
        <h2 id="live-title">Calls under way</h2>
        <p class="muted" role="status">
          ${this.connected ? `${open} ${open === 1 ? 'call' : 'calls'} under way` : 'Connecting to the live feed…'}
        </p>
        ${
          calls.length === 0
            ? html`<p class="empty">No call is under way. Calls appear here as soon as they are placed.</p>`
            : html`<div class="scroll" role="region" aria-label="Calls under way" tabindex="0">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Requested</th>
                      <th scope="col">Target</th>
                      <th scope="col">Number</th>
                      <th scope="col">Source</th>
                      <th scope="col">State</th>
                      <th scope="col">Talk</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${calls.map(
                      (call) =>
                        html`<tr data-call=${call.id} data-state=${call.state}>
                          <td>${formatClock(call.requestedAt)}</td>
                          <td>${call.target ?? '—'}</td>
                          <td>${call.phone}</td>
                          <td>${call.source ? sourceLabel(call.source) : '—'}</td>
                          <td>
                            <span class="badge" ${dotColour(STATE_COLOURS[call.state])}>${stateLabel(call.state)}</span>
                          </td>
                          <td>${formatSeconds(call.talkSeconds)}</td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
      </section>
    `;
  }
}

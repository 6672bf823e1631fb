import { html, LitElement, nothing } from 'lit';
import { ApiError, type ConsoleApi } from './api.js';
import { formatTime, sourceLabel } from './format.js';
import type { HistoryRow } from './history-panel.js';
import { shared } from './styles.js';

/**
 * Booked callbacks waiting for their slot, earliest first, and the redials the relay will
 * make; each may be withdrawn before it is dialled.
 */
export class MtConsoleScheduled extends LitElement {
  static override properties = {
    api: { attribute: false },
    rows: { state: true },
    message: { state: true },
    error: { state: true },
  };
  static override styles = [shared];

  declare api: ConsoleApi;
  declare rows: HistoryRow[] | undefined;
  declare message: string;
  declare error: string;

  constructor() {
    super();
    this.message = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.rows = (await this.api.get<{ rows: HistoryRow[] }>('/scheduled')).rows;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.dispatchEvent(new Event('session-expired', { bubbles: true, composed: true }));
      }
      this.error = err instanceof Error ? err.message : 'The scheduled calls could not be read.';
    }
  }

  async #withdraw(row: HistoryRow): Promise<void> {
    this.message = '';
    this.error = '';
    try {
      await this.api.send('POST', `/scheduled/${encodeURIComponent(row.id)}/withdraw`);
      this.message = `The callback to ${row.phone} at ${formatTime(row.scheduledFor ?? row.requestedAt)} was withdrawn.`;
      await this.#load();
    } catch (err) {
      this.error = err instanceof Error ? err.message : 'The callback could not be withdrawn.';
    }
  }

  #table(rows: HistoryRow[], label: string) {
    if (rows.length === 0) return html`<p class="empty">None.</p>`;
    return html`<div class="scroll" role="region" aria-label=${label} tabindex="0">
      <table>
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Target</th>
            <th scope="col">Number</th>
            <th scope="col">Source</th>
            <th scope="col">Booked</th>
            <th scope="col"><span class="sr-only">Withdraw</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) =>
              html`<tr data-call=${row.id}>
                <td>${formatTime(row.scheduledFor)}</td>
                <td>${row.target ?? '—'}</td>
                <td>${row.phone}</td>
                <td>${sourceLabel(row.source)}</td>
                <td>${formatTime(row.requestedAt)}</td>
                <td>
                  <button
                    type="button"
                    @click=${() => this.#withdraw(row)}
                    aria-label="Withdraw the callback to ${row.phone}"
                  >
                    Withdraw
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const rows = this.rows ?? [];
    return html`
      <section aria-labelledby="scheduled-title">
        <h2 id="scheduled-title">Scheduled callbacks</h2>
        <p role="status" class="muted">${this.message}</p>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${
          this.rows === undefined
            ? html`<p class="muted">Loading…</p>`
            : html`
                <h3>Booked by visitors, by slot</h3>
                ${this.#table(
                  rows.filter((row) => row.source !== 'retry'),
                  'Booked callbacks',
                )}
                <h3>Redials pending</h3>
                ${this.#table(
                  rows.filter((row) => row.source === 'retry'),
                  'Redials pending',
                )}
              `
        }
      </section>
    `;
  }
}

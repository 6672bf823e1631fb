import { css, html, LitElement, nothing } from 'lit';
import { ApiError, type ConsoleApi, type SessionInfo } from './api.js';
import { dotColour } from './dot-colour.js';
import { formatSeconds, formatTime, reasonLabel, sourceLabel, stateLabel, STATE_COLOURS } from './format.js';
import { shared } from './styles.js';
import type { HistoryRow } from '../relay/store/history.js';

/** A history row as the relay answers it: the store's own row, sent as it is. */
export type { HistoryRow };

interface Filter {
  from: string;
  to: string;
  target: string;
  state: string;
  source: string;
}

const PAGE = 25;
const EMPTY: Filter = { from: '', to: '', target: '', state: '', source: '' };

/** A day typed in a date field, as the epoch ms of its local midnight (`end`: of the next day). */
function dayStart(day: string, end = false): number | undefined {
  if (!day) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + (end ? 1 : 0)).getTime();
}

/** A state shown as a coloured dot and its name. */
export const stateBadge = (state: string) =>
  html`<span class="badge" ${dotColour(STATE_COLOURS[state])}>${stateLabel(state)}</span>`;

/**
 * The history: a table of calls filtered by time, target, outcome and source, a page at a
 * time; each row opens the call's timeline, its report's raw statuses and its recording.
 * The filter can be exported as CSV (numbers masked).
 */
export class MtConsoleHistory extends LitElement {
  static override properties = {
    api: { attribute: false },
    session: { attribute: false },
    rows: { state: true },
    filter: { state: true },
    next: { state: true },
    pages: { state: true },
    open: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  static override styles = [
    shared,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: 0.6rem;
        margin-bottom: 1rem;
      }
      .pager {
        display: flex;
        gap: 0.5rem;
        justify-content: flex-end;
        margin-top: 0.75rem;
      }
      td button {
        min-height: 1.9rem;
        padding: 0.1rem 0.5rem;
      }
      dialog {
        max-width: min(40rem, 94vw);
        width: 100%;
        border: 1px solid var(--line);
        border-radius: 10px;
        background: var(--bg);
        color: var(--fg);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 45%);
      }
      ol.timeline {
        padding-left: 1.2rem;
      }
      dl {
        display: grid;
        grid-template-columns: max-content 1fr;
        gap: 0.25rem 1rem;
      }
      dt {
        color: var(--muted);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
    `,
  ];

  declare api: ConsoleApi;
  declare session: SessionInfo;
  declare rows: HistoryRow[];
  declare filter: Filter;
  declare next: string | undefined;
  /** The cursors of the pages before this one, to go back. */
  declare pages: (string | undefined)[];
  declare open: HistoryRow | undefined;
  declare error: string;
  declare loading: boolean;
  #cursor: string | undefined;

  constructor() {
    super();
    this.rows = [];
    this.filter = EMPTY;
    this.pages = [];
    this.error = '';
    this.loading = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load(undefined);
  }

  #query(): Record<string, string | number | undefined> {
    const f = this.filter;
    return {
      from: dayStart(f.from),
      to: dayStart(f.to, true),
      target: f.target,
      state: f.state,
      source: f.source,
    };
  }

  async #load(cursor: string | undefined): Promise<void> {
    this.loading = true;
    this.error = '';
    try {
      const page = await this.api.get<{ rows: HistoryRow[]; next?: { at: number; id: string } }>('/history', {
        ...this.#query(),
        limit: PAGE,
        after: cursor,
      });
      this.#cursor = cursor;
      this.rows = page.rows;
      this.next = page.next ? `${page.next.at}:${page.next.id}` : undefined;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.#expired();
      this.error = err instanceof Error ? err.message : 'The history could not be read.';
    } finally {
      this.loading = false;
    }
  }

  #expired(): void {
    this.dispatchEvent(new Event('session-expired', { bubbles: true, composed: true }));
  }

  #apply(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const read = (name: string) => String(data.get(name) ?? '');
    this.filter = {
      from: read('from'),
      to: read('to'),
      target: read('target'),
      state: read('state'),
      source: read('source'),
    };
    this.pages = [];
    void this.#load(undefined);
  }

  #older(): void {
    this.pages = [...this.pages, this.#cursor];
    void this.#load(this.next);
  }

  #newer(): void {
    const pages = [...this.pages];
    const cursor = pages.pop();
    this.pages = pages;
    void this.#load(cursor);
  }

  async #show(row: HistoryRow): Promise<void> {
    try {
      this.open = await this.api.get<HistoryRow>(`/history/${encodeURIComponent(row.id)}`);
    } catch {
      this.open = row;
    }
    await this.updateComplete;
    this.renderRoot.querySelector('dialog')?.showModal();
  }

  #close(): void {
    this.renderRoot.querySelector('dialog')?.close();
    this.open = undefined;
  }

  override render() {
    const { session } = this;
    const select = (name: keyof Filter, label: string, options: string[], show: (v: string) => string) => html`
      <label>
        ${label}
        <select name=${name}>
          <option value="" ?selected=${this.filter[name] === ''}>All</option>
          ${options.map((o) => html`<option value=${o} ?selected=${this.filter[name] === o}>${show(o)}</option>`)}
        </select>
      </label>
    `;
    return html`
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <form @submit=${this.#apply} aria-label="Filter the history">
          <label>From <input type="date" name="from" .value=${this.filter.from} /></label>
          <label>To <input type="date" name="to" .value=${this.filter.to} /></label>
          ${select('target', 'Target', session.targets, (v) => v)}
          ${select('state', 'Outcome', session.states, stateLabel)}
          ${select('source', 'Source', session.sources, sourceLabel)}
          <button class="primary" type="submit">Filter</button>
          <a class="button" href=${this.api.url('/history.csv', this.#query())} download>Export CSV</a>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <p class="sr-only" role="status">${this.loading ? 'Loading' : `${this.rows.length} calls shown`}</p>
        ${
          this.rows.length === 0 && !this.loading
            ? html`<p class="empty">No call matches this filter.</p>`
            : html`<div class="scroll" role="region" aria-label="Calls" tabindex="0">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Requested</th>
                      <th scope="col">Target</th>
                      <th scope="col">Number</th>
                      <th scope="col">Source</th>
                      <th scope="col">Outcome</th>
                      <th scope="col">Talk</th>
                      <th scope="col"><span class="sr-only">Details</span></th>
                    </tr>
                  </thead>
                  <tbody>
                    ${this.rows.map(
                      (row) =>
                        html`<tr data-call=${row.id} data-state=${row.state}>
                          <td>${formatTime(row.requestedAt)}</td>
                          <td>${row.target ?? '—'}</td>
                          <td>${row.phone}</td>
                          <td>${sourceLabel(row.source)}</td>
                          <td>${stateBadge(row.state)}</td>
                          <td>${formatSeconds(row.talkSeconds)}</td>
                          <td>
                            <button
                              type="button"
                              @click=${() => this.#show(row)}
                              aria-label="Details of the call at ${formatTime(row.requestedAt)}"
                            >
                              Details
                            </button>
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
        }
        <div class="pager">
          <button type="button" ?disabled=${this.pages.length === 0} @click=${this.#newer}>Newer</button>
          <button type="button" ?disabled=${!this.next} @click=${this.#older}>Older</button>
        </div>
        <dialog aria-labelledby="call-title" @close=${() => (this.open = undefined)}>
          ${this.open ? this.#renderCall(this.open) : nothing}
        </dialog>
      </section>
    `;
  }

  #renderCall(row: HistoryRow) {
    return html`
      <h2 id="call-title">Call to ${row.phone}</h2>
      <dl>
        <dt>Target</dt>
        <dd>${row.target ?? '—'}</dd>
        <dt>Outcome</dt>
        <dd>
          ${stateBadge(row.state)}${row.refusal ? html` <span class="muted">(${reasonLabel(row.refusal)})</span>` : nothing}
        </dd>
        <dt>Source</dt>
        <dd>
          ${sourceLabel(row.source)}${row.origin ? html` <span class="muted">from ${row.origin}</span>` : nothing}
        </dd>
        ${
          row.scheduledFor
            ? html`<dt>Slot</dt>
                <dd>${formatTime(row.scheduledFor)}</dd>`
            : nothing
        }
        <dt>Talk time</dt>
        <dd>${formatSeconds(row.talkSeconds)}</dd>
        <dt>Recording</dt>
        <dd>
          ${
            row.recordingUrl
              ? html`<a href=${row.recordingUrl} target="_blank" rel="noopener noreferrer">Listen to the recording</a>`
              : 'None'
          }
        </dd>
      </dl>
      <h3>Timeline</h3>
      <ol class="timeline">
        <li>Requested ${formatTime(row.requestedAt)}</li>
        ${row.dialledAt ? html`<li>Dialled ${formatTime(row.dialledAt)}</li>` : nothing}
        ${row.steps
          .filter((step) => step.state !== 'initiated' || step.at !== row.requestedAt)
          .map((step) => html`<li>${stateLabel(step.state)} ${formatTime(step.at)}</li>`)}
        ${row.reportedAt ? html`<li>Report received ${formatTime(row.reportedAt)}</li>` : nothing}
      </ol>
      ${
        row.statuses && Object.keys(row.statuses).length > 0
          ? html`<h3>Mobtexting’s report</h3>
              <dl>
                ${Object.entries(row.statuses).map(
                  ([key, value]) =>
                    html`<dt>${key}</dt>
                      <dd>${value}</dd>`,
                )}
              </dl>`
          : nothing
      }
      <p><button type="button" @click=${this.#close}>Close</button></p>
    `;
  }
}

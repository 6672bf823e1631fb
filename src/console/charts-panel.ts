import { css, html, LitElement, nothing, unsafeCSS, type PropertyValues } from 'lit';
import uPlot from 'uplot';
import uPlotCss from 'uplot/dist/uPlot.min.css?inline';
import { ApiError, type ConsoleApi, type SessionInfo } from './api.js';
import { dotColour } from './dot-colour.js';
import { formatSeconds, reasonLabel, stateLabel, STATE_COLOURS } from './format.js';
import { shared } from './styles.js';

interface Stats {
  from: number;
  to: number;
  bucketMs: number;
  offsetMs: number;
  calls: { at: number; state: string; count: number; reportCount: number; reportMsSum: number }[];
  refusals: { at: number; reason: string; count: number }[];
}

/** The order states are stacked in: outcomes first, the best at the bottom. */
const STATE_ORDER = [
  'completed',
  'agent-unavailable',
  'no-answer',
  'busy',
  'unreachable',
  'canceled',
  'failed',
  'unknown',
  'missed',
  'refused',
  'initiated',
  'scheduled',
];
/** States that mean a dialled call ended: what the connect rate is a share of. */
const ENDED = new Set([
  'completed',
  'agent-unavailable',
  'no-answer',
  'busy',
  'unreachable',
  'canceled',
  'failed',
  'unknown',
]);
const REASON_COLOURS = ['#c2185b', '#6a1b9a', '#ef6c00', '#00838f', '#2e7d32', '#5d4037', '#455a64', '#ad1457'];

const RANGES = {
  day: { label: 'Last 24 hours, by hour', ms: 86_400_000, bucket: 'hour' },
  week: { label: 'Last 7 days, by day', ms: 7 * 86_400_000, bucket: 'day' },
  month: { label: 'Last 30 days, by day', ms: 30 * 86_400_000, bucket: 'day' },
} as const;
type Range = keyof typeof RANGES;

interface Chart {
  id: string;
  title: string;
  summary: string;
  series: { label: string; colour: string; values: (number | null)[] }[];
  stacked: boolean;
  unit: (value: number) => string;
}

/**
 * Charts of the calls: how many per hour or day stacked by outcome, the connect rate, the
 * time from request to report, and refusals by reason. Drawn with uPlot (small, fast,
 * canvas), each with a summary for screen readers and its numbers in a table.
 */
export class MtConsoleCharts extends LitElement {
  static override properties = {
    api: { attribute: false },
    session: { attribute: false },
    range: { state: true },
    target: { state: true },
    stats: { state: true },
    error: { state: true },
  };

  static override styles = [
    shared,
    unsafeCSS(uPlotCss),
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.6rem;
        margin-bottom: 1rem;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 30rem), 1fr));
        gap: 1rem;
      }
      figure {
        margin: 0;
        padding: 0.75rem;
        border: 1px solid var(--line);
        border-radius: 8px;
        background: var(--bg);
        min-width: 0;
      }
      figcaption {
        font-weight: 600;
        margin-bottom: 0.4rem;
      }
      .plot {
        min-height: 200px;
      }
      ul.legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem 0.9rem;
        list-style: none;
        padding: 0;
        margin: 0.4rem 0 0;
        font-size: 0.85rem;
      }
      details {
        margin-top: 0.4rem;
        font-size: 0.85rem;
      }
      .uplot {
        font-family: inherit;
      }
    `,
  ];

  declare api: ConsoleApi;
  declare session: SessionInfo;
  declare range: Range;
  declare target: string;
  declare stats: Stats | undefined;
  declare error: string;
  readonly #plots = new Map<string, uPlot>();
  #resize: ResizeObserver | undefined;

  constructor() {
    super();
    this.range = 'week';
    this.target = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize = new ResizeObserver(() => this.#fit());
    void this.#load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize?.disconnect();
    for (const plot of this.#plots.values()) plot.destroy();
    this.#plots.clear();
  }

  async #load(): Promise<void> {
    const range = RANGES[this.range];
    const to = Date.now();
    try {
      this.stats = await this.api.get<Stats>('/stats', {
        from: to - range.ms,
        to,
        bucket: range.bucket,
        offset: -new Date().getTimezoneOffset(),
        target: this.target,
      });
      this.error = '';
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        this.dispatchEvent(new Event('session-expired', { bubbles: true, composed: true }));
      }
      this.error = err instanceof Error ? err.message : 'The charts could not be read.';
    }
  }

  #change(event: Event): void {
    const form = (event.target as HTMLElement).closest('form')!;
    const data = new FormData(form);
    this.range = String(data.get('range')) as Range;
    this.target = String(data.get('target') ?? '');
    void this.#load();
  }

  /** The charts' data, bucket by bucket. */
  #charts(stats: Stats): { times: number[]; charts: Chart[] } {
    const first = Math.floor((stats.from + stats.offsetMs) / stats.bucketMs) * stats.bucketMs - stats.offsetMs;
    const times: number[] = [];
    for (let at = first; at < stats.to; at += stats.bucketMs) times.push(at);
    const index = new Map(times.map((at, i) => [at, i]));
    const zeros = () => times.map(() => 0);
    const byState = new Map<string, number[]>();
    const reportMs = zeros();
    const reports = zeros();
    for (const row of stats.calls) {
      const i = index.get(row.at);
      if (i === undefined) continue;
      if (!byState.has(row.state)) byState.set(row.state, zeros());
      byState.get(row.state)![i]! += row.count;
      reportMs[i]! += row.reportMsSum;
      reports[i]! += row.reportCount;
    }
    const states = STATE_ORDER.filter((state) => byState.has(state));
    const total = (state: string) => byState.get(state)!.reduce((a, b) => a + b, 0);
    const ended = times.map((_, i) => [...ENDED].reduce((n, state) => n + (byState.get(state)?.[i] ?? 0), 0));
    const connect = times.map((_, i) =>
      ended[i]! > 0 ? (100 * (byState.get('completed')?.[i] ?? 0)) / ended[i]! : null,
    );
    const delay = times.map((_, i) => (reports[i]! > 0 ? reportMs[i]! / reports[i]! / 1000 : null));
    const byReason = new Map<string, number[]>();
    for (const row of stats.refusals) {
      const i = index.get(row.at);
      if (i === undefined) continue;
      if (!byReason.has(row.reason)) byReason.set(row.reason, zeros());
      byReason.get(row.reason)![i]! += row.count;
    }
    const allEnded = ended.reduce((a, b) => a + b, 0);
    const allCompleted = byState.has('completed') ? total('completed') : 0;
    const allReports = reports.reduce((a, b) => a + b, 0);
    const refusals = [...byReason].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0));
    return {
      times,
      charts: [
        {
          id: 'calls',
          title: 'Calls by outcome',
          summary: states.length
            ? states.map((state) => `${stateLabel(state)}: ${total(state)}`).join(', ')
            : 'No calls in this range.',
          series: states.map((state) => ({
            label: stateLabel(state),
            colour: STATE_COLOURS[state] ?? '#888',
            values: byState.get(state)!,
          })),
          stacked: true,
          unit: (v) => String(v),
        },
        {
          id: 'connect',
          title: 'Connect rate',
          summary: allEnded
            ? `${Math.round((100 * allCompleted) / allEnded)}% of ${allEnded} ended calls connected.`
            : 'No call ended in this range.',
          series: [{ label: 'Connected, % of ended calls', colour: STATE_COLOURS.completed!, values: connect }],
          stacked: false,
          unit: (v) => `${Math.round(v)}%`,
        },
        {
          id: 'delay',
          title: 'Time from request to report',
          summary: allReports
            ? `On average ${formatSeconds(reportMs.reduce((a, b) => a + b, 0) / allReports / 1000)} over ${allReports} reports.`
            : 'No report arrived in this range.',
          series: [{ label: 'Average, seconds', colour: '#2f6fdb', values: delay }],
          stacked: false,
          unit: (v) => formatSeconds(v),
        },
        {
          id: 'refusals',
          title: 'Refusals by reason',
          summary: refusals.length
            ? refusals
                .map(([reason, values]) => `${reasonLabel(reason)}: ${values.reduce((a, b) => a + b, 0)}`)
                .join(', ')
            : 'Nothing was refused in this range.',
          series: refusals.map(([reason, values], i) => ({
            label: reasonLabel(reason),
            colour: REASON_COLOURS[i % REASON_COLOURS.length]!,
            values,
          })),
          stacked: true,
          unit: (v) => String(v),
        },
      ],
    };
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('stats') && this.stats) this.#draw(this.stats);
  }

  #draw(stats: Stats): void {
    const { times, charts } = this.#charts(stats);
    const style = getComputedStyle(this);
    const fg = style.getPropertyValue('--muted').trim() || '#59606b';
    const grid = style.getPropertyValue('--line').trim() || '#d5d9df';
    const xs = times.map((at) => at / 1000);
    const hourly = stats.bucketMs < 86_400_000;
    for (const chart of charts) {
      this.#plots.get(chart.id)?.destroy();
      this.#plots.delete(chart.id);
      const host = this.renderRoot.querySelector<HTMLElement>(`#plot-${chart.id}`);
      if (!host || chart.series.length === 0) continue;
      // Stacked: each series drawn as the sum of itself and those above it, widest first.
      const drawn = chart.stacked
        ? chart.series.map((_, i) =>
            times.map((__, t) => chart.series.slice(i).reduce((n, s) => n + (s.values[t] ?? 0), 0)),
          )
        : chart.series.map((s) => s.values);
      const bars = uPlot.paths.bars!({ size: [0.7, 48] });
      const plot = new uPlot(
        {
          width: Math.max(host.clientWidth, 200),
          height: 200,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, 1) * 1.1] } },
          axes: [
            {
              stroke: fg,
              grid: { stroke: grid, width: 1 },
              ticks: { stroke: grid },
              values: (_u, ticks) =>
                ticks.map((t) =>
                  new Date(t * 1000).toLocaleString(
                    undefined,
                    hourly ? { hour: 'numeric' } : { month: 'short', day: 'numeric' },
                  ),
                ),
            },
            {
              stroke: fg,
              grid: { stroke: grid, width: 1 },
              ticks: { stroke: grid },
              values: (_u, ticks) => ticks.map((t) => chart.unit(t)),
              // As wide as its longest label (`3 min 20 s`), so none is cut off.
              size: (_u, values) => 24 + 7 * Math.max(3, ...(values ?? []).map((v) => String(v).length)),
            },
          ],
          series: [
            {},
            ...chart.series.map((s) => ({
              label: s.label,
              stroke: s.colour,
              fill: chart.stacked ? s.colour : undefined,
              width: chart.stacked ? 0 : 2,
              spanGaps: true,
              ...(chart.stacked && { paths: bars }),
              points: { show: !chart.stacked },
            })),
          ],
        },
        [xs, ...drawn],
        host,
      );
      this.#plots.set(chart.id, plot);
      this.#resize?.observe(host);
    }
  }

  #fit(): void {
    for (const [id, plot] of this.#plots) {
      const host = this.renderRoot.querySelector<HTMLElement>(`#plot-${id}`);
      if (host && Math.abs(host.clientWidth - plot.width) > 4)
        plot.setSize({ width: Math.max(host.clientWidth, 200), height: 200 });
    }
  }

  override render() {
    const data = this.stats ? this.#charts(this.stats) : undefined;
    return html`
      <section aria-labelledby="charts-title">
        <h2 id="charts-title">Charts</h2>
        <form @change=${this.#change} aria-label="What the charts show">
          <label>
            Range
            <select name="range">
              ${Object.entries(RANGES).map(
                ([id, range]) => html`<option value=${id} ?selected=${id === this.range}>${range.label}</option>`,
              )}
            </select>
          </label>
          <label>
            Target
            <select name="target">
              <option value="" ?selected=${this.target === ''}>All</option>
              ${this.session.targets.map((t) => html`<option value=${t} ?selected=${t === this.target}>${t}</option>`)}
            </select>
          </label>
        </form>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        ${
          data
            ? html`<div class="grid">
                ${data.charts.map(
                  (chart) =>
                    html`<figure aria-labelledby="title-${chart.id}">
                      <figcaption id="title-${chart.id}">${chart.title}</figcaption>
                      <div
                        class="plot"
                        id="plot-${chart.id}"
                        role="img"
                        aria-label="${chart.title}. ${chart.summary}"
                      ></div>
                      <p class="muted">${chart.summary}</p>
                      ${
                        chart.stacked && chart.series.length > 0
                          ? html`<ul class="legend">
                              ${chart.series.map((s) => html`<li class="badge" ${dotColour(s.colour)}>${s.label}</li>`)}
                            </ul>`
                          : nothing
                      }
                      ${this.#table(chart, data.times)}
                    </figure>`,
                )}
              </div>`
            : html`<p class="muted">Loading…</p>`
        }
      </section>
    `;
  }

  #table(chart: Chart, times: number[]) {
    if (chart.series.length === 0) return nothing;
    const hourly = (this.stats?.bucketMs ?? 0) < 86_400_000;
    const rows = times
      .map((at, i) => ({ at, values: chart.series.map((s) => s.values[i]) }))
      .filter((r) => r.values.some((v) => v));
    if (rows.length === 0) return nothing;
    return html`<details>
      <summary>The numbers</summary>
      <div class="scroll" role="region" aria-label="${chart.title}, the numbers" tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">${hourly ? 'Hour' : 'Day'}</th>
              ${chart.series.map((s) => html`<th scope="col">${s.label}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (row) =>
                html`<tr>
                  <td>
                    ${new Date(row.at).toLocaleString(undefined, hourly ? { dateStyle: 'short', timeStyle: 'short' } : { dateStyle: 'medium' })}
                  </td>
                  ${row.values.map((v) => html`<td>${v === null || v === undefined ? '—' : chart.unit(v)}</td>`)}
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </details>`;
  }
}

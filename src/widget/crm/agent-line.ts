import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * One call at a time for the agent at this browser. In a CRM every ticket button rings
 * the agent's phone first, so while one is calling, every other ticket button on the page,
 * and in the agent's other tabs, is unavailable. A line is the relay's endpoint: ticket
 * widgets of one relay share it. Tabs tell each other over a `BroadcastChannel`: the tab on
 * a call says so every few seconds, and a tab that stops saying so (closed, crashed) frees
 * the line after `STALE_MS`.
 */
const CHANNEL = 'mt-click-to-call/agent-line';
const BEAT_MS = 4000;
const STALE_MS = 10_000;

/** What tabs say to each other. */
interface LineMessage {
  tab: string;
  /** The line: a relay endpoint's URL. */
  line?: string;
  /** Whether that tab is on a call on the line; absent in a new tab's question. */
  busy?: boolean;
}

const tab = Math.random().toString(36).slice(2);
const listeners = new Set<() => void>();
/** The widget on this page on a call, per line. */
const holders = new Map<string, symbol>();
/** Other tabs on a call, per line, and until when their word holds. */
const otherTabs = new Map<string, number>();
let channel: BroadcastChannel | undefined;
let expiry: ReturnType<typeof setTimeout> | undefined;

const notify = () => listeners.forEach((listener) => listener());
const say = (line: string, busy: boolean) => channel?.postMessage({ tab, line, busy } satisfies LineMessage);

function listen(): void {
  if (channel || typeof BroadcastChannel !== 'function') return;
  channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = ({ data }: MessageEvent<LineMessage>) => {
    if (data.busy === undefined || data.line === undefined)
      return void [...holders.keys()].forEach((l) => say(l, true));
    const key = `${data.tab} ${data.line}`;
    if (data.busy) otherTabs.set(key, Date.now() + STALE_MS);
    else otherTabs.delete(key);
    clearTimeout(expiry);
    expiry = setTimeout(notify, STALE_MS);
    notify();
  };
  channel.postMessage({ tab } satisfies LineMessage); // who is on a call already?
  addEventListener('pagehide', () => holders.forEach((_, line) => say(line, false)));
}

/**
 * A ticket widget's view of the agent's line: holds it while `isOnCall()` is true (checked
 * after every update of the widget), and re-renders the widget when the line is taken or
 * freed elsewhere.
 */
export class AgentLine implements ReactiveController {
  readonly #id = Symbol('widget');
  readonly #line: () => string;
  readonly #isOnCall: () => boolean;
  readonly #listener: () => void;
  #beat: ReturnType<typeof setInterval> | undefined;
  /** The line this widget holds, while it holds one. */
  #held: string | undefined;

  /**
   * @param line the widget's line: its relay endpoint
   * @param isOnCall whether the widget is on a call
   */
  constructor(host: ReactiveControllerHost, line: () => string, isOnCall: () => boolean) {
    this.#line = line;
    this.#isOnCall = isOnCall;
    this.#listener = () => host.requestUpdate();
    host.addController(this);
  }

  /** True while another widget on this page, or another tab, is on a call on this widget's line. */
  get taken(): boolean {
    const line = this.#line();
    const now = Date.now();
    const holder = holders.get(line);
    return (
      (holder !== undefined && holder !== this.#id) ||
      [...otherTabs].some(([key, until]) => key.endsWith(` ${line}`) && until > now)
    );
  }

  hostUpdated(): void {
    if (this.#isOnCall()) this.#hold();
    else this.#release();
  }

  /** Starts listening to the line: only ticket widgets do, so other pages open no channel. */
  watch(): void {
    listen();
    listeners.add(this.#listener);
  }

  hostDisconnected(): void {
    listeners.delete(this.#listener);
    this.#release();
  }

  #hold(): void {
    if (this.#held !== undefined) return;
    const line = (this.#held = this.#line());
    holders.set(line, this.#id);
    say(line, true);
    this.#beat = setInterval(() => say(line, true), BEAT_MS);
    notify();
  }

  #release(): void {
    const line = this.#held;
    if (line === undefined) return;
    this.#held = undefined;
    clearInterval(this.#beat);
    if (holders.get(line) === this.#id) holders.delete(line);
    say(line, false);
    notify();
  }
}

import { chromium, type Browser } from 'playwright-core';

/** Flags that keep Chromium from reaching out to the network or slowing background pages. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
];

/** Launches the system's Chromium (`CHROME_PATH`, set by `npm test`) headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** A state a widget reached, with what its status said then. */
interface ReachedState {
  index: number;
  state: string;
  status: string;
}

/**
 * Notes in the page, from its first script on, each state every widget reaches and what
 * its status says at that moment, so that a test can wait for a state that has already
 * given way to the next (a fast call ends before a test could look). Call before `goto`.
 */
export async function recordWidgetStates(page: import('playwright-core').Page): Promise<void> {
  await page.addInitScript(() => {
    const reached: ReachedState[] = [];
    (window as unknown as { reachedStates: ReachedState[] }).reachedStates = reached;
    for (const type of ['mt-call-request', 'mt-call-state', 'mt-call-error']) {
      document.addEventListener(type, (event) => {
        const widget = event.target as HTMLElement & { state: string; updateComplete: Promise<unknown> };
        void widget.updateComplete.then(() =>
          reached.push({
            index: [...document.querySelectorAll<HTMLElement>('mt-click-to-call')].indexOf(widget),
            state: widget.state,
            status: widget.shadowRoot?.querySelector('[part=status]')?.textContent ?? '',
          }),
        );
      });
    }
  });
}

/**
 * Waits until the page's first widget (or the n-th) reaches a state (or, in a page that
 * records them, has reached it); on time-out, says where it is instead, and what its
 * status says.
 */
export async function waitForWidgetState(
  page: import('playwright-core').Page,
  state: string,
  options: { index?: number; timeout?: number } = {},
): Promise<string> {
  const index = options.index ?? 0;
  try {
    // Answers the status text as it was when the state was reached: a fast call may be
    // over by the time the test could read it afterwards.
    const handle = await page.waitForFunction(
      ([want, i]) => {
        const reached = (window as unknown as { reachedStates?: ReachedState[] }).reachedStates;
        const seen = reached?.find((entry) => entry.index === i && entry.state === want);
        if (seen) return seen.status;
        const widget = document.querySelectorAll('mt-click-to-call')[i as number];
        return (
          widget?.getAttribute('state') === want &&
          (widget.shadowRoot?.querySelector('[part=status]')?.textContent ?? '')
        );
      },
      [state, index] as const,
      { timeout: options.timeout ?? 15_000 },
    );
    return (await handle.jsonValue()) as string;
  } catch (err) {
    const now = await page.evaluate((i) => {
      const widget = document.querySelectorAll('mt-click-to-call')[i];
      return `${widget?.getAttribute('state')}: "${widget?.shadowRoot?.querySelector('[part=status]')?.textContent ?? ''}" ${widget?.shadowRoot?.querySelector('[part=error]')?.textContent ?? ''}`;
    }, index);
    throw new Error(`widget ${index} did not reach ${state}; it is ${now} (${(err as Error).message.split('\n')[0]})`);
  }
}

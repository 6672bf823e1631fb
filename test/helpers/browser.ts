import { chromium, type Browser, type Page } from 'playwright-core';

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

/** A state a widget reached, with what its status said then. */
interface ReachedState {
  index: number;
  state: string;
  status: string;
}

/**
 * Runs in every page before its own scripts: records each state a widget reaches, with
 * its status text at that moment, so a test can see a state that came and went between
 * two of its polls.
 */
function recordWidgetStates(): void {
  const seen: ReachedState[] = [];
  (window as unknown as { __mtC2cStates: typeof seen }).__mtC2cStates = seen;
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      const widget = mutation.target as Element;
      if (widget.localName !== 'mt-click-to-call') continue;
      seen.push({
        index: [...document.querySelectorAll<Element>('mt-click-to-call')].indexOf(widget),
        state: widget.getAttribute('state') ?? '',
        status: widget.shadowRoot?.querySelector('[part=status]')?.textContent ?? '',
      });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['state'] });
}

/** Opens a page that records its widgets' states (see {@link waitForWidgetState}). */
export async function openPage(browser: Browser, options?: Parameters<Browser['newPage']>[0]): Promise<Page> {
  const page = await browser.newPage(options);
  await page.addInitScript(recordWidgetStates);
  return page;
}

/** Launches the system's Chromium (`CHROME_PATH`, set by `npm test`) headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * Waits until the page's first widget (or the n-th) reaches a state, and answers its
 * status text as it was then; on time-out, says where it is instead, and what its status
 * says. On a page opened with {@link openPage} a state that has already come and gone
 * counts too.
 */
export async function waitForWidgetState(
  page: Page,
  state: string,
  options: { index?: number; timeout?: number } = {},
): Promise<string> {
  const index = options.index ?? 0;
  try {
    // Answers the status text as it was when the state was reached: a fast call may be
    // over by the time the test could read it afterwards.
    const handle = await page.waitForFunction(
      ([want, i]) => {
        const seen = (window as unknown as { __mtC2cStates?: ReachedState[] }).__mtC2cStates;
        // Each recorded state counts once: a later wait for the same state needs a new one.
        const at = seen?.findIndex((entry) => entry.index === i && entry.state === want) ?? -1;
        if (at >= 0) return seen!.splice(0, at + 1)[at]!.status;
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

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

/**
 * Waits until the page's first widget (or the n-th) reaches a state; on time-out, says
 * where it is instead, and what its status says.
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

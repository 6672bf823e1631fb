import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, waitForWidgetState } from '../helpers/browser.js';
import { spawnRelay, type RelayProcess } from '../helpers/process.js';

// The demo server serves the built script-tag bundle, the relay and the sandbox; its
// landing page has nothing but <script src=".../mt-click-to-call.js"> and the element.
describe('the script-tag bundle on a plain page', () => {
  let server: RelayProcess;
  let browser: Browser;
  before(async () => {
    server = await spawnRelay('demo/server.ts', { MT_SANDBOX_DELAY_MS: '200' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('defines the element and places a call against the running relay', async () => {
    const page = await openPage(browser);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
    await page.goto(`${server.origin}/`);
    assert.ok(await page.evaluate(() => customElements.get('mt-click-to-call') !== undefined));
    const widget = page.locator('mt-click-to-call[launcher]');
    await widget.locator('[part=launcher]').click();
    await widget.locator('input[type=tel]').fill('98765 43210');
    await widget.getByRole('checkbox').check();
    await widget.locator('[part=button]').click();
    assert.match(await waitForWidgetState(page, 'initiated', { index: 1 }), /Calling \+91 98••• ••210 now/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

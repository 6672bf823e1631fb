import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { launchChromium, openPage, waitForWidgetState } from '../helpers/browser.js';
import { TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
import { spawnRelay, type RelayProcess } from '../helpers/process.js';
import { until } from '../helpers/wait.js';

// The whole journey over real HTTP: a browser page with the script-tag bundle, the relay
// in its own process (live mode, as with a real token), and the sandbox as a separate
// server standing in for Mobtexting, whose webhook travels back to the relay.
describe('the whole journey in a real browser', () => {
  let sandbox: SandboxServer;
  let server: RelayProcess;
  let browser: Browser;
  before(async () => {
    let relayOrigin = '';
    sandbox = await startSandboxServer({
      token: TEST_TOKEN,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookUrl: () => `${relayOrigin}/c2c/webhooks/mobtexting`,
      delayMs: 300,
    });
    server = await spawnRelay('demo/server.ts', {
      MT_API_TOKEN: TEST_TOKEN,
      MT_API_BASE: sandbox.apiBase,
      MT_BRIDGE: TEST_BRIDGE,
      MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      MT_TARGETS: JSON.stringify({ sales: { to: '918046000100', duration: 15 } }),
    });
    relayOrigin = server.origin;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await sandbox?.close();
  });

  const OUTCOMES: [string, string, RegExp][] = [
    ['98765 43218', 'completed', /Call finished/],
    ['98765 40001', 'busy', /Your line was busy/],
    ['98765 40002', 'no-answer', /not answered/],
    ['98765 40003', 'agent-unavailable', /No one here could take your call/],
    ['98765 40004', 'unreachable', /could not reach your number/],
    ['98765 40005', 'canceled', /canceled/],
  ];

  for (const [number, state, sentence] of OUTCOMES) {
    it(`types ${number}, presses Call, sees initiated and then ${state}`, async () => {
      const page = await openPage(browser);
      const errors: string[] = [];
      page.on('pageerror', (err) => errors.push(err.message));
      try {
        await page.goto(`${server.origin}/`);
        // The marketing page's launcher: its second widget, after the installers' form.
        const widget = page.locator('mt-click-to-call[launcher]');
        await widget.locator('[part=launcher]').click();
        await widget.locator('input[type=tel]').fill(number);
        await widget.getByRole('checkbox').check();
        await widget.locator('[part=button]').click();
        assert.match(await waitForWidgetState(page, 'initiated', { index: 1 }), /^Calling \+91 98••• ••\d{3} now/);
        assert.match(await waitForWidgetState(page, state, { index: 1 }), sentence);
        assert.deepEqual(errors, []);
      } finally {
        await page.close();
      }
    });
  }

  it('logged the webhook’s arrival for each call, and never the token', async () => {
    // The log is written without blocking the relay: its last line may arrive just after the
    // widget showed the last outcome.
    const ended = () =>
      server.stdout
        .filter(Boolean)
        .map((line) => JSON.parse(line))
        .filter((line) => line.event === 'call.ended').length;
    await until(() => ended() >= OUTCOMES.length, 'a call.ended line for each call').catch(() => {});
    assert.equal(ended(), OUTCOMES.length);
    assert.ok(!server.stdout.join('\n').includes(TEST_TOKEN));
    assert.ok(!server.stderr.join('\n').includes(TEST_TOKEN));
  });
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openPage, waitForWidgetState } from '../helpers/browser.js';
import { childEnv, freePort, ROOT } from '../helpers/process.js';

describe('npm run dev', () => {
  let dev: ChildProcess;
  let origin: string;
  let browser: Browser;
  before(async () => {
    const [relayPort, devPort] = [await freePort(), await freePort()];
    origin = `http://127.0.0.1:${devPort}`;
    dev = spawn(process.execPath, ['scripts/dev.mjs'], {
      cwd: ROOT,
      env: childEnv({ PORT: String(relayPort), DEV_PORT: String(devPort), MT_SANDBOX_DELAY_MS: '300' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`dev did not start:\n${output}`)), 20_000);
      const listen = (chunk: Buffer) => {
        output += chunk;
        if (output.includes('Local:') && output.includes('relay at')) {
          clearTimeout(timer);
          resolve();
        }
      };
      dev.stdout!.on('data', listen);
      dev.stderr!.on('data', listen);
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    const exited = new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    await exited;
  });

  it('serves the pages with the widget’s sources and proxies the relay', async () => {
    const html = await (await fetch(`${origin}/`)).text();
    assert.match(html, /<script type="module" src="\/@fs\/.*\/src\/widget\/define.ts"><\/script>/);
    assert.doesNotMatch(html, /\/cdn\/mt-click-to-call.js/);
    const health = await (await fetch(`${origin}/c2c/health`)).json();
    assert.deepEqual([health.status, health.store], ['ok', 'ok']);
  });

  it('runs the whole journey from source', async () => {
    const page = await openPage(browser);
    await page.goto(`${origin}/`);
    const widget = page.locator('mt-click-to-call[launcher]');
    await widget.locator('[part=launcher]').click();
    await widget.locator('input[type=tel]').fill('98765 40001');
    await widget.locator('input[type=checkbox]').check();
    await widget.locator('[part=button]').click();
    await waitForWidgetState(page, 'busy', { index: 1 });
    await page.close();
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, openPage, waitForWidgetState } from '../helpers/browser.js';
import { ROOT, spawnRelay, type RelayProcess } from '../helpers/process.js';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** The customers' full numbers in the demo CRM: none may reach the page. */
const CRM_NUMBERS = [
  '9822041258',
  '9825040001',
  '9447040002',
  '9414040003',
  '9848040004',
  '9845040005',
  '9840033218',
  '9811072648',
  '9823015608',
  '9814052118',
  '9830064428',
  '9415083378',
];

/** Opens a page and records its errors; refusals the gallery shows on purpose are not errors. */
async function open(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await openPage(browser);
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const deliberate =
      /\/demo\/states\//.test(message.location().url) && /Failed to load resource/.test(message.text());
    if (!deliberate) errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors };
}

/** Runs axe on the page, shadow roots included, and answers the violations. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: { run: (context: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe.run(document);
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

/**
 * Everything a page shows, shadow roots included. (Iterative: a named inner function
 * would carry a helper of the test's compiler into the browser.)
 */
const wholePage = (page: Page) =>
  page.evaluate(() => {
    const roots: (Document | ShadowRoot)[] = [document];
    let html = '';
    for (let root = roots.pop(); root; root = roots.pop()) {
      for (const el of root.querySelectorAll('*')) {
        html += el.outerHTML;
        if (el.shadowRoot) roots.push(el.shadowRoot);
      }
    }
    return html;
  });

describe('the demo (npm start)', () => {
  let server: RelayProcess;
  let browser: Browser;
  before(async () => {
    server = await spawnRelay('demo/server.ts', { MT_SANDBOX_DELAY_MS: '300' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('says it is in sandbox mode and serves its three pages, linked together', async () => {
    assert.ok(server.stderr.some((line) => /SANDBOX MODE|sandbox mode/.test(line)));
    for (const path of ['/', '/crm.html', '/gallery.html']) {
      const response = await fetch(`${server.origin}${path}`);
      assert.equal(response.status, 200, path);
      const html = await response.text();
      for (const link of ['href="/"', 'href="/crm.html"', 'href="/gallery.html"'])
        assert.ok(html.includes(link), `${path} links ${link}`);
      assert.match(html, /<script src="\/cdn\/mt-click-to-call.js"><\/script>/);
    }
  });

  it('marketing page: a themed widget from a plain script tag places a call; no errors; passes axe', async () => {
    const { page, errors } = await open(browser, `${server.origin}/`);
    const widget = page.locator('mt-click-to-call');
    assert.equal(
      await widget.locator('[part=button]').evaluate((b) => getComputedStyle(b).backgroundColor),
      'rgb(122, 31, 162)',
      'themed by the page',
    );
    await widget.locator('input[type=tel]').fill('98765 43210');
    await widget.locator('input[type=checkbox]').check();
    await widget.locator('[part=button]').click();
    await waitForWidgetState(page, 'completed');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('CRM page: every row calls through its ticket, shows its own outcome, and no full number reaches the page', async () => {
    const { page, errors } = await open(browser, `${server.origin}/crm.html`);
    await page.waitForSelector('mt-click-to-call[ticket]');
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 12);
    for (let i = 0; i < 12; i++) await rows.nth(i).locator('mt-click-to-call [part=button]').click();
    const expected = [
      'completed',
      'busy',
      'no-answer',
      'agent-unavailable',
      'unreachable',
      'canceled',
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
    ];
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('mt-click-to-call')].every((w, i) => w.getAttribute('state') === want[i]),
      expected,
      { timeout: 15_000 },
    );
    assert.equal(await rows.nth(1).locator('td.state').innerText(), 'busy');
    const html = await wholePage(page);
    for (const number of CRM_NUMBERS) assert.ok(!html.includes(number), `${number} is not on the page`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('gallery page: every state in light and dark, English and Hindi; no errors; passes axe', async () => {
    const { page, errors } = await open(browser, `${server.origin}/gallery.html`);
    // Per panel: four idle (before anything, a bad number, consent, a ticket), one of each
    // call state, five refusals.
    const expected: Record<string, number> = {
      idle: 16,
      submitting: 4,
      initiated: 4,
      completed: 4,
      busy: 4,
      'no-answer': 4,
      'agent-unavailable': 4,
      unreachable: 4,
      canceled: 4,
      failed: 4,
      unknown: 4,
      error: 20,
    };
    const count = () =>
      page.evaluate(() => {
        const counts: Record<string, number> = {};
        for (const w of document.querySelectorAll('mt-click-to-call'))
          counts[w.getAttribute('state')!] = (counts[w.getAttribute('state')!] ?? 0) + 1;
        return counts;
      });
    const deadline = Date.now() + 15_000;
    let counts = await count();
    while (
      JSON.stringify(Object.entries(counts).sort()) !== JSON.stringify(Object.entries(expected).sort()) &&
      Date.now() < deadline
    ) {
      await page.waitForTimeout(250);
      counts = await count();
    }
    assert.deepEqual(counts, expected);
    assert.ok(await page.getByText('कॉल पूरी हुई। धन्यवाद!').first().isVisible());
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
});

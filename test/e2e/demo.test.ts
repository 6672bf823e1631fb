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
    // The gallery's refusals, and its relay that cannot be reached, are on purpose.
    const deliberate =
      /\/demo\/states\/|127\.0\.0\.1:9\//.test(message.location().url + message.text()) &&
      /Failed to load resource/.test(message.text());
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

  it('marketing page: the launcher, opened from the page’s own link, places a call; no errors; passes axe', async () => {
    const { page, errors } = await open(browser, `${server.origin}/`);
    const widget = page.locator('mt-click-to-call[launcher]');
    assert.equal(
      await widget.locator('[part=launcher]').evaluate((b) => getComputedStyle(b).backgroundColor),
      'rgb(122, 31, 162)',
      'themed by the page',
    );
    await page.getByRole('link', { name: 'Talk to an adviser' }).click();
    assert.ok(await widget.locator('dialog[open]').isVisible());
    await widget.locator('input[type=tel]').fill('98765 43210');
    await widget.locator('input[type=checkbox]').check();
    await widget.locator('[part=button]').click();
    await waitForWidgetState(page, 'completed', { index: 1 });
    assert.ok(await widget.locator('dialog[open]').isVisible(), 'the dialog stays open to show the outcome');
    assert.deepEqual(await axeViolations(page), []);
    await page.keyboard.press('Escape');
    assert.equal(await widget.locator('dialog[open]').count(), 0);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('marketing page: the installers, closed now, say when they open and book a callback slot; passes axe', async () => {
    const { page, errors } = await open(browser, `${server.origin}/`);
    const widget = page.locator('mt-click-to-call[target=after-hours]');
    await widget.locator('input[type=tel]').fill('98765 43219');
    await widget.locator('[part=button]').click();
    await widget.locator('[part=slot]').first().waitFor();
    assert.match(await widget.locator('[part=status]').innerText(), /^We are closed right now\. We open /);
    assert.deepEqual(await axeViolations(page), []);
    await widget.locator('[part=slot]').nth(1).click();
    await widget.getByRole('button', { name: 'Book this time' }).click();
    await waitForWidgetState(page, 'scheduled');
    assert.match(await widget.locator('[part=status]').innerText(), /^We will call you /);
    await widget.getByRole('button', { name: 'Cancel the callback' }).click();
    await waitForWidgetState(page, 'canceled');
    // The relay's refusal of a call now (409 target_closed) is how the page learns it is closed.
    assert.deepEqual(
      errors.filter((error) => !/status of 409/.test(error)),
      [],
    );
    await page.close();
  });

  it('verify page: the code the simulated call spoke verifies the number, then the callback is placed; axe', async () => {
    const { page, errors } = await open(browser, `${server.origin}/verify.html`);
    const widget = page.locator('mt-click-to-call');
    await widget.locator('input[type=tel]').fill('98765 43218');
    await widget.locator('[part=button]').click();
    await widget.locator('[part=code]').waitFor();
    const spoken = page.locator('output.spoken');
    await page.waitForFunction(() => /^(\d ){5}\d$/.test(document.querySelector('output.spoken')!.textContent!));
    assert.deepEqual(await axeViolations(page), []);
    await widget.locator('[part=code]').fill((await spoken.innerText()).replace(/ /g, ''));
    await waitForWidgetState(page, 'completed');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('CRM page: calls one row at a time, each showing its own outcome; no full number reaches the page', async () => {
    const { page, errors } = await open(browser, `${server.origin}/crm.html`);
    await page.waitForSelector('mt-click-to-call[ticket]');
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 12);
    const expected = ['completed', 'busy', 'no-answer', 'agent-unavailable', 'unreachable', 'canceled'];
    for (const [i, state] of expected.entries()) {
      await rows.nth(i).locator('mt-click-to-call [part=button]').click();
      await waitForWidgetState(page, state, { index: i });
    }
    assert.equal(await rows.nth(1).locator('td.state').innerText(), 'busy');
    const html = await wholePage(page);
    for (const number of CRM_NUMBERS) assert.ok(!html.includes(number), `${number} is not on the page`);
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('CRM page: while one row calls, the others and the agent’s other tab wait', async () => {
    const slow = await spawnRelay('demo/server.ts', { MT_SANDBOX_DELAY_MS: '2500' });
    const context = await browser.newContext();
    const [first, second] = [await context.newPage(), await context.newPage()];
    for (const tab of [first, second]) {
      await tab.goto(`${slow.origin}/crm.html`);
      await tab.waitForSelector('mt-click-to-call[ticket]');
    }
    await first.locator('tbody tr').nth(6).locator('mt-click-to-call [part=button]').click();
    await waitForWidgetState(first, 'initiated', { index: 6 });
    const sameTab = first.locator('tbody tr').nth(5).locator('mt-click-to-call');
    assert.equal(await sameTab.locator('[part=status]').innerText(), 'You are on another call.');
    assert.equal(await sameTab.locator('[part=button]').getAttribute('aria-disabled'), 'true');
    const status = second.locator('tbody tr').nth(0).locator('mt-click-to-call [part=status]');
    await status.getByText('You are on another call.').waitFor({ timeout: 5000 });
    await waitForWidgetState(first, 'completed', { index: 6 });
    await status.getByText('You are on another call.').waitFor({ state: 'detached', timeout: 5000 });
    await context.close();
    await slow.stop();
  });

  for (const lang of ['en', 'hi', 'bn', 'mr', 'ta', 'te']) {
    it(`gallery page in ${lang}: every state of a visitor's form (light and dark) and of a CRM's buttons; passes axe`, async () => {
      const { page, errors } = await open(browser, `${server.origin}/gallery.html?lang=${lang}`);
      // Per page: two panels of a visitor's form and one of ticket buttons (see gallery.js).
      const expected: Record<string, number> = {
        idle: 8,
        submitting: 3,
        initiated: 6,
        completed: 3,
        busy: 3,
        'no-answer': 3,
        'agent-unavailable': 3,
        unreachable: 3,
        canceled: 3,
        failed: 3,
        unknown: 3,
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
      const late = page.locator('#visitor-light-late [part=status]');
      assert.notEqual(await late.innerText(), '', 'the late call says so');
      assert.deepEqual(await axeViolations(page), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
});

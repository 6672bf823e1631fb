import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { relayConsole } from '../../src/relay/console/index.js';
import { MemoryCallStore } from '../../src/relay/index.js';
import { loadServerConfig } from '../../src/relay/node/env-config.js';
import { startRelayServer, type RelayServer } from '../../src/relay/node/node-server.js';
import { launchChromium } from '../helpers/browser.js';
import { TEST_CONSOLE_TOKEN } from '../helpers/constants.js';
import { ROOT, spawnRelay } from '../helpers/process.js';

const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const SCRIPT = join(ROOT, 'dist/console/console.js');

/** The visitors' full numbers the tests call: none may reach the console, nor its export. */
const COMPLETED = '+91 98765 43210';
const BUSY = '+91 98765 40001';

/** Runs axe on the console, its shadow roots included, and answers the violations. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (c: Document) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}

describe('the operator’s console in Chromium', () => {
  let server: RelayServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const store = new MemoryCallStore();
  const errors: string[] = [];

  before(async () => {
    const loaded = loadServerConfig({
      PORT: '0',
      MT_STORE: 'memory',
      MT_SANDBOX_DELAY_MS: '1500',
      MT_RATE_LIMITS: 'off',
      // Recorded, so that the sandbox's report carries a recording link for the timeline.
      // Open all week, offering slots: a visitor may book one for later.
      MT_TARGETS: JSON.stringify({
        sales: {
          to: '918046000100',
          callFirst: 'visitor',
          duration: 15,
          record: true,
          hours: { timezone: 'UTC', 'mon,tue,wed,thu,fri,sat,sun': '00:00-24:00' },
          slots: { minutes: 15, daysAhead: 2, perSlot: 4 },
        },
      }),
    });
    assert.ok(loaded.ok);
    server = await startRelayServer(loaded.config, {
      hostname: '127.0.0.1',
      logger: () => {},
      relay: {
        store,
        console: relayConsole({
          token: TEST_CONSOLE_TOKEN,
          script: () => readFile(SCRIPT, 'utf8'),
        }),
      },
    });
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/status of 4(01|03|29)/.test(message.text()))
        errors.push(`${message.text()} (${message.location().url})`);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  const consoleUrl = () => `http://localhost:${server.port}/c2c/console`;
  const console = () => page.locator('mt-console');
  const placeCall = async (phone: string, at?: string) => {
    const response = await fetch(`http://127.0.0.1:${server.port}/c2c/calls`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone, target: 'sales', ...(at !== undefined && { at }) }),
    });
    assert.equal(response.status, 202);
    return ((await response.json()) as { callId: string }).callId;
  };
  /** Books the first slot the target offers, as the widget's slot picker does. */
  const bookSlot = async (phone: string) => {
    const offer = await fetch(`http://127.0.0.1:${server.port}/c2c/targets/sales/availability`);
    const { slots } = (await offer.json()) as { slots: { at: string }[] };
    assert.ok(slots.length > 0, 'slots on offer');
    return placeCall(phone, slots.at(-1)!.at);
  };
  /** A call's state as the relay itself holds it. */
  const stateOf = async (callId: string) =>
    ((await (await fetch(`http://127.0.0.1:${server.port}/c2c/calls/${callId}`)).json()) as { state: string }).state;

  it('asks for the token, and refuses its API to anyone without a session', async () => {
    await page.goto(consoleUrl());
    await console().getByLabel('Console token').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    const answers = await page.evaluate(async (root) => {
      const paths = ['/api/history', '/api/stats', '/api/scheduled', '/api/history.csv'];
      return Promise.all(
        paths.map(async (path) => {
          const response = await fetch(root + path);
          return { path, status: response.status, text: await response.text() };
        }),
      );
    }, '/c2c/console');
    for (const answer of answers) {
      assert.equal(answer.status, 401, answer.path);
      assert.doesNotMatch(answer.text, /98|rows|\bcalls\b/, answer.path);
    }
  });

  it('sends a strict policy with its page, and the browser holds the page to it', async () => {
    const response = await fetch(consoleUrl());
    const policy = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ])
      assert.ok(policy.includes(directive), directive);
    assert.doesNotMatch(policy, /unsafe-|\*|https?:/, 'no inline code, no other site');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    const html = await response.text();
    assert.doesNotMatch(html, /<script>|<style>|style="/, 'nothing inline the policy would refuse');
    // An inline script slipped into the page does not run, nor may the page reach another site.
    const probe = await context.newPage();
    const refused: string[] = [];
    probe.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refused.push(message.text());
    });
    await probe.goto(consoleUrl());
    await probe.locator('mt-console').getByLabel('Console token').waitFor();
    const ran = await probe.evaluate(async () => {
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.body.append(inline);
      const reached = await fetch('https://example.invalid/').then(
        () => 'fetched',
        () => 'refused',
      );
      return { inline: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, reached };
    });
    await probe.close();
    assert.deepEqual(ran, { inline: false, reached: 'refused' });
    assert.ok(refused.length >= 2, `the browser reported what it refused (${refused.length})`);
  });

  it('signs in, and shows a call placed through the sandbox live as it rings and ends', async () => {
    await console().getByLabel('Console token').fill(TEST_CONSOLE_TOKEN);
    await console().getByRole('button', { name: 'Sign in' }).click();
    await console().getByRole('heading', { name: 'Calls under way' }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'mt_c2c_console');
    assert.ok(session?.httpOnly, 'HttpOnly');
    assert.equal(session?.sameSite, 'Strict');
    assert.equal(await page.evaluate(() => document.cookie), '', 'the page’s scripts cannot read it');
    await console()
      .getByText(/calls? under way/)
      .waitFor();
    const callId = await placeCall(COMPLETED);
    const row = console().locator(`mt-console-live tr[data-call="${callId}"]`);
    await row.and(page.locator('[data-state=initiated]')).waitFor({ timeout: 5000 });
    assert.match(await row.innerText(), /Ringing/);
    assert.match(await row.innerText(), /\+91 98••• ••210/);
    await row.and(page.locator('[data-state=completed]')).waitFor({ timeout: 10_000 });
    assert.match(await row.innerText(), /Connected/);
  });

  it('then shows it in the history with its outcome, its timeline and its report', async () => {
    const busyId = await placeCall(BUSY);
    // The history shows what the store holds when it is opened: wait for the busy report.
    const deadline = Date.now() + 10_000;
    while ((await store.getHistory(busyId))?.state !== 'busy' && Date.now() < deadline) await sleep(100);
    await console().getByRole('button', { name: 'History', exact: true }).click();
    const history = console().locator('mt-console-history');
    await history.locator(`tr[data-call="${busyId}"][data-state=busy]`).waitFor({ timeout: 5000 });
    const completed = history.locator('tr[data-state=completed]').first();
    assert.match(await completed.innerText(), /Connected/);
    await completed.getByRole('button', { name: /Details/ }).click();
    const dialog = history.locator('dialog[open]');
    await dialog.waitFor();
    const text = await dialog.innerText();
    assert.match(text, /Requested/);
    assert.match(text, /Dialled/);
    assert.match(text, /Report received/);
    assert.match(text, /status1\s+ANSWER/);
    assert.match(text, /Listen to the recording/, 'the sandbox’s report has a recording');
    const link = await dialog.getByRole('link', { name: /Listen to the recording/ }).getAttribute('href');
    assert.match(link ?? '', /^https:\/\/recordings\.sandbox\.invalid\/.+\.mp3$/);
    assert.deepEqual(await axeViolations(page), []);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('filters the history by outcome', async () => {
    const history = console().locator('mt-console-history');
    await history.getByLabel('Outcome').selectOption('busy');
    await history.getByRole('button', { name: 'Filter' }).click();
    await page.waitForFunction(
      () => {
        const rows = document
          .querySelector('mt-console')
          ?.shadowRoot?.querySelector('mt-console-history')
          ?.shadowRoot?.querySelectorAll('tbody tr');
        return rows && rows.length > 0 && [...rows].every((row) => row.getAttribute('data-state') === 'busy');
      },
      undefined,
      { timeout: 5000 },
    );
    assert.equal(await history.locator('tbody tr[data-state=completed]').count(), 0);
  });

  it('exports the filter as CSV, with masked numbers only', async () => {
    const history = console().locator('mt-console-history');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      history.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^calls-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    assert.match(lines[0]!, /^requested_at,id,kind,source,target,phone,origin,state,/);
    assert.ok(lines.length >= 2);
    for (const line of lines.slice(1))
      assert.match(line, /,\+91 98••• ••001,.*,busy,/, 'the filter’s rows only, masked');
    for (const number of [COMPLETED, BUSY]) {
      assert.ok(!csv.includes(number.replace(/\D/g, '')), 'no full number');
      assert.ok(!csv.includes(number), 'no full number');
    }
    assert.doesNotMatch(csv, /https?:\/\/.*\.mp3|recording/i, 'no recording link');
  });

  it('withdraws a booked callback', async () => {
    const booking = await bookSlot('+91 98765 40555');
    // The history's row is written beside the booking, not before its answer.
    while ((await store.getHistory(booking))?.state !== 'scheduled') await sleep(50);
    await console().getByRole('button', { name: 'Scheduled' }).click();
    const panel = console().locator('mt-console-scheduled');
    const row = panel.locator(`tr[data-call="${booking}"]`);
    assert.match(await row.innerText(), /\+91 98••• ••555/);
    await row.waitFor();
    await row.getByRole('button', { name: /Withdraw/ }).click();
    await panel.getByText(/was withdrawn/).waitFor();
    assert.equal(await stateOf(booking), 'canceled', 'the relay’s own booking was withdrawn');
    await row.waitFor({ state: 'detached' });
    assert.deepEqual(await axeViolations(page), []);
  });

  it('draws its charts, and is usable and axe-clean at 375 px, light and dark', async () => {
    await console().getByRole('button', { name: 'Charts' }).click();
    const charts = console().locator('mt-console-charts');
    await charts.locator('canvas').first().waitFor();
    assert.ok((await charts.locator('canvas').count()) >= 3, 'calls, connect rate, time to report');
    assert.match(
      (await charts.getByRole('img', { name: /Calls by outcome/ }).getAttribute('aria-label')) ?? '',
      /Connected: \d+/,
    );
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      // The page follows the scheme: dark text on light, light text on dark.
      const lightness = await page.evaluate(() => {
        const style = getComputedStyle(document.body);
        return [style.backgroundColor, style.color].map((color) =>
          (color.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0),
        );
      });
      const [background, text] = lightness as [number, number];
      if (colorScheme === 'dark') assert.ok(background < text, `dark in dark mode (${lightness.join(' on ')})`);
      else assert.ok(background > text, `light in light mode (${lightness.join(' on ')})`);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 800 });
        for (const section of ['Live', 'History', 'Charts', 'Scheduled']) {
          await console().getByRole('button', { name: section, exact: true }).click();
          await page.waitForTimeout(150);
          assert.deepEqual(await axeViolations(page), [], `${section} at ${width} px, ${colorScheme}`);
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${section} at ${width} px fits the width (${overflow} px over)`);
        }
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a cross-site POST: another site’s page cannot withdraw with the operator’s session', async () => {
    // 127.0.0.1 is another site than localhost: the browser sends no SameSite=Strict cookie.
    const booking = await bookSlot('+91 98765 40666');
    const other = await context.newPage();
    const elsewhere = `http://127.0.0.1:${server.port}/another-site.html`;
    await other.route(elsewhere, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<title>Another site</title>' }),
    );
    await other.goto(elsewhere);
    const sent: string[] = [];
    other.on('request', (request) => {
      if (request.url().includes('/withdraw')) sent.push(request.method());
    });
    const outcomes = await other.evaluate(async (url) => {
      // A form-like POST (no CORS), and one a page's script would make: neither may withdraw.
      const blind = await fetch(url, { method: 'POST', credentials: 'include', mode: 'no-cors' }).then(
        (r) => r.type,
        () => 'refused',
      );
      const cors = await fetch(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'text/plain' },
        body: '{}',
      }).then(
        (r) => String(r.status),
        () => 'refused',
      );
      return [blind, cors];
    }, `http://localhost:${server.port}/c2c/console/api/scheduled/${booking}/withdraw`);
    await other.close();
    assert.deepEqual(sent, ['POST', 'POST'], 'both requests were sent');
    for (const outcome of outcomes) assert.ok(['opaque', 'refused'].includes(outcome), outcome);
    assert.equal(await stateOf(booking), 'scheduled', 'nothing withdrawn by another site');
    const direct = await fetch(`http://localhost:${server.port}/c2c/console/api/scheduled/${booking}/withdraw`, {
      method: 'POST',
      headers: {
        Origin: 'https://evil.example',
        Cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '),
      },
    });
    assert.equal(direct.status, 403, 'a forged request with the session but another Origin');
    assert.equal(await stateOf(booking), 'scheduled');
  });

  it('signs out', async () => {
    await console().getByRole('button', { name: 'Sign out' }).click();
    await console().getByLabel('Console token').waitFor();
    const status = await page.evaluate(async () => (await fetch('/c2c/console/api/history')).status);
    assert.equal(status, 401);
  });

  it('locks out after repeated wrong tokens', async () => {
    const field = console().getByLabel('Console token');
    for (let i = 0; i < 5; i++) {
      await field.fill(`not-the-token-${i}-not-the-token`);
      await console().getByRole('button', { name: 'Sign in' }).click();
      await console().getByText('That token is not right.').waitFor();
      await page.waitForTimeout(50);
    }
    await field.fill(TEST_CONSOLE_TOKEN);
    await console().getByRole('button', { name: 'Sign in' }).click();
    await console()
      .getByText(/Too many wrong tokens/)
      .waitFor();
    assert.equal(await console().getByLabel('Console token').count(), 1, 'still signed out');
    const locked = await fetch(`http://localhost:${server.port}/c2c/console/api/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: `http://localhost:${server.port}` },
      body: JSON.stringify({ token: TEST_CONSOLE_TOKEN }),
    });
    assert.equal(locked.status, 429, 'the right token too, from a locked address');
    const body = await locked.text();
    assert.match(body, /"code":"rate_limited"/);
    assert.ok(!body.includes(TEST_CONSOLE_TOKEN));
    assert.deepEqual(errors, []);
  });
});

describe('the public pages (npm start)', () => {
  it('link to the console but never load it; the demo prints its token and it signs in', async () => {
    const demo = await spawnRelay('demo/server.ts', { MT_SANDBOX_DELAY_MS: '300' });
    const browser = await launchChromium();
    try {
      const line = demo.stderr.find((l) => /operator console: /.test(l)) ?? '';
      const token = /token: (\S+)/.exec(line)?.[1];
      assert.ok(token && token.length >= 24, 'the demo prints its console token');
      for (const path of ['/', '/crm.html', '/gallery.html']) {
        const page = await browser.newPage();
        const requested: string[] = [];
        page.on('request', (request) => requested.push(new URL(request.url()).pathname));
        await page.goto(`${demo.origin}${path}`);
        await page.waitForFunction(() => customElements.get('mt-click-to-call'));
        assert.equal(await page.getByRole('link', { name: 'Operator console' }).getAttribute('href'), '/c2c/console');
        assert.deepEqual(
          requested.filter((p) => p.includes('/console')),
          [],
          `${path} loads nothing of the console`,
        );
        assert.equal(await page.evaluate(() => customElements.get('mt-console')), undefined, path);
        await page.close();
      }
      const widget = await readFile(join(ROOT, 'dist/cdn/mt-click-to-call.js'), 'utf8');
      assert.ok(!widget.includes('mt-console'), 'the widget’s bundle holds none of the console');
      const response = await fetch(`${demo.origin}/c2c/console/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Origin: demo.origin },
        body: JSON.stringify({ token }),
      });
      assert.equal(response.status, 200, 'the printed token signs in');
    } finally {
      await browser.close();
      await demo.stop();
    }
  });
});

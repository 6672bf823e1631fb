import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { ROOT } from '../helpers/process.js';

const CDN = join(ROOT, 'dist/cdn');

/** A page with the one script tag and a widget, under a Content-Security-Policy. */
const page = (widget: string, nonce?: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><script ${nonce ? `nonce="${nonce}" ` : ''}src="/cdn/mt-click-to-call.js"></script>
</head><body><p>A page.</p>${widget}</body></html>`;

const PAGES: Record<string, { html: string; csp: string }> = {
  '/inline.html': { html: page('<mt-click-to-call></mt-click-to-call>'), csp: "script-src 'self'" },
  '/launcher.html': {
    html: page('<mt-click-to-call launcher lang="hi"></mt-click-to-call>'),
    csp: "script-src 'self'",
  },
  '/dark.html': { html: page('<mt-click-to-call theme="dark"></mt-click-to-call>'), csp: "script-src 'self'" },
  '/nonce.html': {
    html: page('<mt-click-to-call launcher lang="ta"></mt-click-to-call>', 'n0nce'),
    csp: "script-src 'nonce-n0nce'",
  },
  '/missing.html': {
    html: page('<mt-click-to-call launcher></mt-click-to-call>').replace('/cdn/', '/lonely/'),
    csp: "script-src 'self'",
  },
};

/** Serves the pages above, dist/cdn at /cdn/, and the core alone (no chunks beside it) at /lonely/. */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    const known = PAGES[path];
    if (known) {
      res.writeHead(200, { 'Content-Type': 'text/html', 'Content-Security-Policy': known.csp }).end(known.html);
      return;
    }
    const file =
      /^\/cdn\/(mt-click-to-call[\w.-]*\.js)$/.exec(path)?.[1] ??
      (path === '/lonely/mt-click-to-call.js' ? 'mt-click-to-call.js' : undefined);
    if (!file) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(readFileSync(join(CDN, file)));
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Opens a page, noting the scripts it loads, CSP violations and errors. */
async function open(browser: Browser, url: string) {
  const tab: Page = await browser.newPage();
  const scripts: string[] = [];
  const problems: string[] = [];
  tab.on('request', (request) => request.resourceType() === 'script' && scripts.push(new URL(request.url()).pathname));
  tab.on('pageerror', (err) => problems.push(err.message));
  tab.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  await tab.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  await tab.goto(url);
  await tab.waitForFunction(() => customElements.get('mt-click-to-call') !== undefined);
  await tab.evaluate(() => document.querySelector('mt-click-to-call')!.updateComplete);
  return { tab, scripts, problems };
}

describe('the script-tag build’s chunks', () => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  before(async () => {
    server = await serve();
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('a page with the inline form loads the one file and nothing else', async () => {
    const { tab, scripts, problems } = await open(browser, `${origin}/inline.html`);
    assert.equal(await tab.locator('mt-click-to-call [part=button]').innerText(), 'Call me');
    assert.deepEqual(scripts, ['/cdn/mt-click-to-call.js']);
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('loads the launcher and a language from beside the core under script-src ’self’', async () => {
    const { tab, scripts, problems } = await open(browser, `${origin}/launcher.html`);
    await tab.locator('mt-click-to-call [part=launcher]').click();
    assert.ok(await tab.locator('mt-click-to-call dialog[open]').isVisible());
    assert.equal(await tab.locator('mt-click-to-call [part=button]').innerText(), 'मुझे कॉल करें');
    assert.deepEqual(scripts.sort(), [
      '/cdn/mt-click-to-call.js',
      '/cdn/mt-click-to-call.lang-hi.js',
      '/cdn/mt-click-to-call.launcher.js',
    ]);
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('loads the dark theme when asked', async () => {
    const { tab, scripts, problems } = await open(browser, `${origin}/dark.html`);
    const background = await tab
      .locator('mt-click-to-call [part=form]')
      .evaluate((form) => getComputedStyle(form).backgroundColor);
    assert.equal(background, 'rgb(22, 27, 34)');
    assert.ok(scripts.includes('/cdn/mt-click-to-call.theme-dark.js'));
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('passes the core’s nonce on to its chunks under a nonce-only CSP', async () => {
    const { tab, problems } = await open(browser, `${origin}/nonce.html`);
    await tab.locator('mt-click-to-call [part=launcher]').click();
    assert.equal(await tab.locator('mt-click-to-call [part=button]').innerText(), 'என்னை அழையுங்கள்');
    assert.deepEqual(problems, []);
    await tab.close();
  });

  it('shows the form in place, and says why in the console, when the launcher’s chunk is missing', async () => {
    const tab = await browser.newPage();
    const warnings: string[] = [];
    tab.on('console', (message) => message.type() === 'warning' && warnings.push(message.text()));
    await tab.goto(`${origin}/missing.html`);
    await tab.waitForFunction(() =>
      document.querySelector('mt-click-to-call')?.shadowRoot?.querySelector('[part=input]'),
    );
    assert.equal(await tab.locator('mt-click-to-call [part=launcher]').count(), 0);
    assert.match(warnings.join('\n'), /lonely\/mt-click-to-call\.launcher\.js: not loaded/);
    await tab.close();
  });
});

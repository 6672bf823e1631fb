import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { stateRelay } from '../../demo/state-relay.js';
import { launchChromium } from '../helpers/browser.js';
import { ROOT } from '../helpers/process.js';

// A React 19 app and a Vue 3.5 app (test/e2e/apps), type-checked and built by Vite from
// the package as `npm pack` makes it, then run in Chromium against the demo's stand-in relay.

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Serves a built app, and the stand-in relay under /demo/states. */
async function serveApp(dist: string): Promise<{ origin: string; server: Server }> {
  const relay = getRequestListener(new Hono().route('/demo/states', stateRelay()).fetch);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/demo/states/')) return void relay(req, res);
    const path = req.url === '/' ? '/index.html' : (req.url ?? '');
    try {
      const body = readFileSync(join(dist, path));
      res.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('framework apps built from the packed package', () => {
  let dir: string;
  let browser: Browser;
  const servers: Server[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mt-c2c-apps-'));
    const tarball = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    // The apps' node_modules: the packed package, and every other package from this repository's.
    const modules = join(dir, 'node_modules');
    mkdirSync(join(modules, 'mt-click-to-call'), { recursive: true });
    for (const name of readdirSync(join(ROOT, 'node_modules')))
      symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
    execFileSync('tar', ['-xzf', join(dir, tarball), '-C', join(modules, 'mt-click-to-call'), '--strip-components=1']);
    cpSync(join(ROOT, 'test/e2e/apps'), dir, { recursive: true });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Type-checks an app with its tsconfig.json; throws tsc's output if it finds errors. */
  function typeCheck(app: string): void {
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(dir, app)], {
        encoding: 'utf8',
      });
    } catch (err) {
      assert.fail(`${app} does not type-check:\n${(err as { stdout: string }).stdout}`);
    }
  }

  /** Builds an app with Vite, serves it, and opens it, noting what the console says. */
  async function run(app: string) {
    const root = join(dir, app);
    await build({
      root,
      configFile: app === 'vue' ? join(root, 'vite.config.ts') : false,
      logLevel: 'silent',
      build: { outDir: join(root, 'dist') },
    });
    const { origin, server } = await serveApp(join(root, 'dist'));
    servers.push(server);
    const page = await browser.newPage();
    const said: string[] = [];
    const scripts: string[] = [];
    page.on('console', (message) => ['error', 'warning'].includes(message.type()) && said.push(message.text()));
    page.on('pageerror', (err) => said.push(err.message));
    page.on('request', (request) => request.resourceType() === 'script' && scripts.push(request.url()));
    await page.goto(origin);
    await page.waitForSelector('mt-click-to-call');
    await page.evaluate(() => document.querySelector('mt-click-to-call')!.updateComplete);
    return { page, said, scripts, assets: join(root, 'dist/assets') };
  }

  it('React 19: typed JSX that refuses mistakes, props and events that work', async () => {
    typeCheck('react');
    const { page, said, scripts, assets } = await run('react');
    const widget = page.locator('mt-click-to-call');
    assert.equal(await widget.locator('[part=button]').innerText(), 'Ring me', 'an attribute');
    assert.deepEqual(
      await page.evaluate(() => document.querySelector('mt-click-to-call')!.variables),
      { Name: 'Asha' },
      'a property',
    );
    await widget.locator('[part=input]').fill('98765 43210');
    await widget.locator('[part=button]').click();
    await page
      .locator('#ended')
      .getByText(/^completed completed-/)
      .waitFor({ timeout: 10_000 });

    // The bundler split the chunks off, and the page loaded none of them: only the app's
    // entry and the files it imports statically (the bundler may give Lit files of its own).
    const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const launcher = files.find((f) => readFileSync(join(assets, f), 'utf8').includes('aria-haspopup'));
    assert.ok(launcher, 'the launcher is in a chunk of its own');
    const entry = basename(scripts[0]!);
    const imported = [...readFileSync(join(assets, entry), 'utf8').matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)];
    assert.deepEqual(
      scripts.map((url) => basename(url)).sort(),
      [entry, ...imported.map((m) => m[1]!)].sort(),
      `only the entry and its static imports loaded: ${scripts.join(', ')}`,
    );
    assert.ok(!scripts.some((url) => url.endsWith(launcher)), 'not the launcher');
    assert.deepEqual(said, []);
    await page.close();
  });

  it('Vue 3.5: the custom element setting, typed GlobalComponents, props and events that work', async () => {
    typeCheck('vue');
    const { page, said } = await run('vue');
    const widget = page.locator('mt-click-to-call');
    assert.equal(await widget.locator('[part=button]').innerText(), 'Ring me');
    await widget.locator('[part=input]').fill('98765 43210');
    await widget.locator('[part=button]').click();
    await page.locator('#ended').getByText('busy').waitFor({ timeout: 10_000 });
    assert.deepEqual(said, [], 'no "Failed to resolve component" or any other warning');
    await page.close();
  });
});

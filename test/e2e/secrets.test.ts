import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { TEST_CONSOLE_TOKEN, TEST_METRICS_TOKEN, TEST_TOKEN, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
import { startFakeUpstream } from '../helpers/http.js';
import { ROOT, runToEnd, spawnRelay } from '../helpers/process.js';
import { secretScanner } from '../helpers/relay.js';

/** Every file under a folder, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('secrets stay on the server', () => {
  it('the response scanner every test relay runs does catch a leak', async () => {
    const found: string[] = [];
    const app = new Hono();
    app.use(secretScanner(found));
    app.get('/json', (c) => c.json({ echoed: TEST_TOKEN }));
    app.get('/header', (c) => c.text('ok', 200, { 'X-Debug': TEST_WEBHOOK_SECRET }));
    app.get('/clean', (c) => c.text('nothing here'));
    for (const path of ['/json', '/header', '/clean']) await (await app.request(path)).text();
    assert.deepEqual(found, ['GET /json: body', 'GET /header: headers']);
  });

  it('no built file or source map holds a token, and no browser file mentions one', () => {
    const built = files(join(ROOT, 'dist'));
    assert.ok(
      built.some((f) => f.endsWith('.map')),
      'source maps are scanned too',
    );
    for (const file of built) {
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(TEST_TOKEN) && !text.includes(TEST_WEBHOOK_SECRET), file);
    }
    const browser = built.filter((f) => /dist\/(cdn|widget|protocol)\//.test(f) && !f.endsWith('.map'));
    for (const file of browser)
      assert.doesNotMatch(readFileSync(file, 'utf8'), /apiToken|MT_API_TOKEN|webhookSecret|Bearer/, file);
  });

  it('mt-c2c-relay prints no token, at start, in errors or while calling', async () => {
    const upstream = await startFakeUpstream();
    const env = {
      MT_API_TOKEN: TEST_TOKEN,
      MT_API_BASE: upstream.apiBase,
      MT_BRIDGE: '918046000000',
      MT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
      MT_TARGETS: '{"sales":{"to":"918046000100"}}',
      MT_RATE_LIMITS: 'off',
      MT_CONSOLE_TOKEN: TEST_CONSOLE_TOKEN,
      MT_METRICS_TOKEN: TEST_METRICS_TOKEN,
    };
    const relay = await spawnRelay('bin/mt-c2c-relay.js', env);
    try {
      const post = (body: unknown) =>
        fetch(`${relay.origin}/c2c/calls`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      const texts = [await (await post({ phone: '+91 98765 44441', target: 'sales' })).text()];
      upstream.reply = { status: 401, body: JSON.stringify({ message: `Token ${TEST_TOKEN} is not valid` }) };
      texts.push(await (await post({ phone: '+91 98765 44442', target: 'sales' })).text());
      upstream.reply = { status: 500, body: `<pre>Authorization: Bearer ${TEST_TOKEN}</pre>` };
      texts.push(await (await post({ phone: '+91 98765 44443', target: 'sales' })).text());
      texts.push(
        await (
          await fetch(`${relay.origin}/c2c/webhooks/mobtexting?token=${TEST_TOKEN}`, { method: 'POST', body: '{}' })
        ).text(),
      );
      // The built server serves the console's script and the metrics, and says neither token.
      const script = await fetch(`${relay.origin}/c2c/console/console.js`);
      assert.equal(script.status, 200, 'the console’s script, beside the built server');
      assert.match(await script.text(), /mt-console/);
      const metrics = await fetch(`${relay.origin}/c2c/metrics`, {
        headers: { Authorization: `Bearer ${TEST_METRICS_TOKEN}` },
      });
      const scraped = await metrics.text();
      assert.equal(metrics.status, 200);
      texts.push(scraped, await (await fetch(`${relay.origin}/c2c/console`)).text());
      await relay.stop();
      const everything = [...texts, ...relay.stdout, ...relay.stderr].join('\n');
      assert.ok(everything.includes('upstream.misconfigured'), 'the faults were logged');
      assert.ok(!everything.includes(TEST_TOKEN), 'no token');
      assert.ok(!everything.includes(TEST_WEBHOOK_SECRET), 'no webhook secret');
      assert.ok(
        !everything.includes(TEST_CONSOLE_TOKEN) && !everything.includes(TEST_METRICS_TOKEN),
        'no add-on token',
      );
    } finally {
      await relay.stop();
      await upstream.close();
    }
    const bad = await runToEnd([join(ROOT, 'bin/mt-c2c-relay.js')], { ...env, MT_BRIDGE: 'nope' });
    assert.equal(bad.code, 2);
    assert.ok(!(bad.stdout + bad.stderr).includes(TEST_TOKEN));
  });
});

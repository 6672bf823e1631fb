import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { turnstileVerifier } from '../../src/relay/index.js';
import { closeServer, startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { createTestRelay } from '../helpers/relay.js';

const SECRET = 'turnstile-secret-key';

/** Cloudflare's siteverify, over real HTTP: tokens `ok-<host>` or `ok-<host>#<n>` pass once, solved on <host>. */
async function startSiteverify() {
  const seen = new Set<string>();
  const forms: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      forms.push(form);
      const token = form.get('response') ?? '';
      const valid = form.get('secret') === SECRET && token.startsWith('ok-') && !seen.has(token);
      seen.add(token);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify(
          valid
            ? { success: true, hostname: token.slice(3).split('#')[0] }
            : { success: false, 'error-codes': ['invalid-input-response'] },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`,
    forms,
    close: () => closeServer(server),
  };
}

describe('the Turnstile human check', () => {
  let siteverify: Awaited<ReturnType<typeof startSiteverify>>;
  let upstream: FakeUpstream;
  before(async () => {
    siteverify = await startSiteverify();
    upstream = await startFakeUpstream();
  });
  after(async () => {
    await siteverify.close();
    await upstream.close();
  });

  it('passes a fresh token solved on one of the site’s hostnames, sending the secret and the address', async () => {
    const verify = turnstileVerifier({ secret: SECRET, hostnames: ['shop.example'], verifyUrl: siteverify.url });
    assert.equal(await verify('ok-shop.example', '203.0.113.5'), true);
    const form = siteverify.forms.at(-1)!;
    assert.equal(form.get('secret'), SECRET);
    assert.equal(form.get('remoteip'), '203.0.113.5');
  });

  it('refuses a token from another hostname, a failed one and an empty one', async () => {
    const verify = turnstileVerifier({ secret: SECRET, hostnames: ['shop.example'], verifyUrl: siteverify.url });
    assert.equal(await verify('ok-evil.example', undefined), false);
    assert.equal(await verify('bad-token', undefined), false);
    const asked = siteverify.forms.length;
    assert.equal(await verify('', undefined), false);
    assert.equal(siteverify.forms.length, asked, 'an empty token is not even sent');
  });

  it('refuses a replayed token without asking Cloudflare again', async () => {
    const verify = turnstileVerifier({ secret: SECRET, verifyUrl: siteverify.url });
    assert.equal(await verify('ok-shop.example#2', undefined), true);
    const asked = siteverify.forms.length;
    assert.equal(await verify('ok-shop.example#2', undefined), false);
    assert.equal(siteverify.forms.length, asked);
  });

  it('fails closed when Cloudflare cannot be reached', async () => {
    const verify = turnstileVerifier({ secret: SECRET, verifyUrl: 'http://127.0.0.1:9/siteverify', timeoutMs: 500 });
    assert.equal(await verify('ok-shop.example#3', undefined), false);
  });

  it('makes the relay ask for a token before any call', async () => {
    const relay = createTestRelay({
      apiBase: upstream.apiBase,
      verifyHuman: turnstileVerifier({ secret: SECRET, hostnames: ['shop.example'], verifyUrl: siteverify.url }),
    });
    try {
      const before = upstream.requests.length;
      const missing = await relay.post('/calls', { phone: '+91 98765 33331', target: 'sales' });
      assert.equal(missing.status, 403);
      const body = await missing.json();
      assert.equal(body.error.code, 'human_check_failed');
      assert.equal(body.error.field, 'humanToken');
      const wrong = await relay.post('/calls', {
        phone: '+91 98765 33331',
        target: 'sales',
        humanToken: 'ok-evil.example',
      });
      assert.equal(wrong.status, 403);
      assert.equal(upstream.requests.length, before, 'no call without a passed check');
      const passed = await relay.post('/calls', {
        phone: '+91 98765 33331',
        target: 'sales',
        humanToken: 'ok-shop.example#4',
      });
      assert.equal(passed.status, 202);
      assert.match(siteverify.forms.at(-1)!.get('remoteip') ?? '', /127\.0\.0\.1$/);
    } finally {
      await relay.close();
    }
  });
});

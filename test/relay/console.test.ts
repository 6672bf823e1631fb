import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryCallStore } from '../../src/relay/index.js';
import { relayConsole } from '../../src/relay/console/index.js';
import { useRelay, TEST_CONSOLE_TOKEN, type TestRelay } from '../helpers/relay.js';
import { FRIDAY_1130_IST, FRIDAY_1900_IST, iso, SCHEDULING_TARGETS } from '../helpers/scheduling.js';

const SITE = 'http://relay.test';
const SCRIPT = 'customElements.define("mt-console", class extends HTMLElement {});';
const day = 86_400_000;

/** A console's session as a test holds it: its cookie and CSRF token. */
interface Session {
  cookie: string;
  csrf: string;
}

/** Signs in from the console's own page. */
async function signIn(relay: TestRelay, token = TEST_CONSOLE_TOKEN, headers: Record<string, string> = {}) {
  return relay.post('/console/api/session', { token }, { Origin: SITE, ...headers });
}

async function session(relay: TestRelay): Promise<Session> {
  const response = await signIn(relay);
  assert.equal(response.status, 200);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return { cookie, csrf: ((await response.json()) as { csrf: string }).csrf };
}

const get = (relay: TestRelay, path: string, s?: Session) =>
  relay.fetch(`${relay.url}${path}`, { headers: s ? { Cookie: s.cookie } : {} });

describe('the console, off', () => {
  const { relay } = useRelay();
  it('is not there without a console token (404)', async () => {
    for (const path of ['/console', '/console/console.js', '/console/api/session']) {
      assert.equal((await get(relay, path)).status, 404, path);
    }
  });
});

describe('the console', () => {
  const store = new MemoryCallStore();
  const withdrawn: string[] = [];
  const { relay } = useRelay(() => ({
    store,
    console: relayConsole({
      token: TEST_CONSOLE_TOKEN,
      script: async () => SCRIPT,
      withdraw: async (callId) => {
        withdrawn.push(callId);
        return { state: 'canceled' };
      },
    }),
  }));

  it('serves its page under a strict policy, and its script', async () => {
    const page = await get(relay, '/console');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/c2c\/console\/console\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<style|style=/, 'nothing inline');
    const script = await get(relay, '/console/console.js');
    assert.match(script.headers.get('content-type')!, /^text\/javascript/);
    assert.equal(await script.text(), SCRIPT);
  });

  it('refuses its API without a session (401), saying nothing else', async () => {
    await store.recordHistory({
      id: '00000000-0000-4000-8000-00000000aaaa',
      kind: 'call',
      phone: '+91 98••• ••001',
      requestedAt: Date.now(),
      state: 'completed',
      keepUntil: Date.now() + day,
      recordingUrl: 'https://recordings.example/secret.mp3',
    });
    const paths = [
      '/console/api/session',
      '/console/api/history',
      '/console/api/history/00000000-0000-4000-8000-00000000aaaa',
      '/console/api/history.csv',
      '/console/api/stats',
      '/console/api/scheduled',
      '/console/api/live',
    ];
    for (const path of paths) {
      const response = await get(relay, path);
      assert.equal(response.status, 401, path);
      const text = await response.text();
      assert.doesNotMatch(text, /98••|recordings\.example|completed/, path);
    }
    const forged = await relay.fetch(`${relay.url}/console/api/history`, {
      headers: { Cookie: 'mt_c2c_console=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    assert.equal(forged.status, 401);
    const withdraw = await relay.post('/console/api/scheduled/x/withdraw', {}, { Origin: SITE });
    assert.equal(withdraw.status, 401);
    assert.deepEqual(withdrawn, []);
  });

  it('signs in with the token: a session cookie that scripts cannot read and other sites do not send', async () => {
    const response = await signIn(relay);
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie')!;
    assert.match(cookie, /^mt_c2c_console=[\w-]{43}; /);
    assert.match(cookie, /; Path=\/c2c\/console;/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Strict/);
    assert.match(cookie, /; Secure/);
    const body = await response.text();
    assert.doesNotMatch(body, new RegExp(TEST_CONSOLE_TOKEN));
    assert.doesNotMatch(body, new RegExp(cookie.split(';')[0]!.split('=')[1]!), 'the cookie only in the cookie');
    const local = await signIn(relay, TEST_CONSOLE_TOKEN, { Host: 'localhost:8787', Origin: 'http://localhost:8787' });
    assert.doesNotMatch(local.headers.get('set-cookie')!, /Secure/, 'not Secure on the machine itself');
  });

  it('refuses a sign-in from another site, or without an Origin', async () => {
    assert.equal((await signIn(relay, TEST_CONSOLE_TOKEN, { Origin: 'https://evil.example' })).status, 403);
    const bare = await relay.post('/console/api/session', { token: TEST_CONSOLE_TOKEN });
    assert.equal(bare.status, 403);
    const crossSite = await signIn(relay, TEST_CONSOLE_TOKEN, { 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(crossSite.status, 403);
  });

  it('takes changes only with the session’s CSRF token, from its own page', async () => {
    const s = await session(relay);
    const withdraw = (headers: Record<string, string>) =>
      relay.fetch(`${relay.url}/console/api/scheduled/00000000-0000-4000-8000-00000000bbbb/withdraw`, {
        method: 'POST',
        headers: { Cookie: s.cookie, ...headers },
      });
    await store.recordHistory({
      id: '00000000-0000-4000-8000-00000000bbbb',
      kind: 'booking',
      source: 'booking',
      phone: '+91 98••• ••002',
      requestedAt: Date.now(),
      scheduledFor: Date.now() + 3600_000,
      state: 'scheduled',
      keepUntil: Date.now() + day,
    });
    assert.equal((await withdraw({ Origin: SITE })).status, 403, 'no CSRF token');
    assert.equal((await withdraw({ Origin: SITE, 'X-CSRF-Token': 'x'.repeat(43) })).status, 403, 'a wrong one');
    assert.equal(
      (await withdraw({ Origin: 'https://evil.example', 'X-CSRF-Token': s.csrf })).status,
      403,
      'from another site',
    );
    assert.equal((await withdraw({ 'X-CSRF-Token': s.csrf })).status, 403, 'without an Origin');
    assert.deepEqual(withdrawn, []);
    const done = await withdraw({ Origin: SITE, 'X-CSRF-Token': s.csrf });
    assert.equal(done.status, 200);
    assert.deepEqual(await done.json(), { id: '00000000-0000-4000-8000-00000000bbbb', state: 'canceled' });
    assert.deepEqual(withdrawn, ['00000000-0000-4000-8000-00000000bbbb']);
  });

  it('signs out: the cookie is cleared and the session no longer opens anything', async () => {
    const s = await session(relay);
    assert.equal((await get(relay, '/console/api/history', s)).status, 200);
    const out = await relay.fetch(`${relay.url}/console/api/session`, {
      method: 'DELETE',
      headers: { Cookie: s.cookie, Origin: SITE, 'X-CSRF-Token': s.csrf },
    });
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie')!, /^mt_c2c_console=; .*Max-Age=0/);
    assert.equal((await get(relay, '/console/api/history', s)).status, 401, 'a copy of the old cookie is dead too');
  });

  it('answers the history and its export with masked numbers only', async () => {
    const s = await session(relay);
    const history = await get(relay, '/console/api/history?limit=10', s);
    const { rows } = (await history.json()) as { rows: { id: string; recordingUrl?: string }[] };
    assert.ok(
      rows.some((row) => row.recordingUrl === 'https://recordings.example/secret.mp3'),
      'the operator sees it',
    );
    const csv = await get(relay, '/console/api/history.csv', s);
    assert.match(csv.headers.get('content-type')!, /^text\/csv/);
    assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await csv.text();
    assert.match(text, /^requested_at,id,kind,source,target,phone,/);
    assert.match(text, /\+91 98••• ••001/);
    assert.doesNotMatch(text, /recordings\.example/, 'no recording links in an export');
    assert.doesNotMatch(text, /\d{10}/, 'no full number');
  });

  it('answers chart counts in the time zone asked, and refuses a range it cannot show', async () => {
    const s = await session(relay);
    const to = Date.now();
    const ok = await get(relay, `/console/api/stats?from=${to - 7 * day}&to=${to}&bucket=day&offset=330`, s);
    assert.equal(ok.status, 200);
    const stats = (await ok.json()) as { calls: { count: number }[]; offsetMs: number };
    assert.equal(stats.offsetMs, 330 * 60_000);
    assert.ok(stats.calls.reduce((n, b) => n + b.count, 0) >= 1);
    assert.equal((await get(relay, `/console/api/stats?from=${to - 200 * day}&to=${to}`, s)).status, 400);
    assert.equal((await get(relay, `/console/api/stats?offset=7`, s)).status, 400);
    assert.equal((await get(relay, `/console/api/history?state=nonsense`, s)).status, 400);
  });

  it('locks an address out after five wrong tokens, even for the right one', async () => {
    const from = { 'X-Forwarded-For': '203.0.113.9' };
    for (let i = 0; i < 5; i++) {
      const wrong = await signIn(relay, `wrong-token-${i}-wrong-token-wrong`, from);
      assert.equal(wrong.status, 401);
    }
    // In-process test relays see every request from 127.0.0.1: the lockout is that address's.
    const locked = await signIn(relay);
    assert.equal(locked.status, 429);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    assert.equal(locked.headers.get('set-cookie'), null);
  });
});

describe('the console, withdrawing with the relay’s own bookings', () => {
  let now = FRIDAY_1900_IST;
  const store = new MemoryCallStore({ now: () => now });
  const { relay } = useRelay(() => ({
    store,
    now: () => now,
    targets: SCHEDULING_TARGETS,
    console: relayConsole({ token: TEST_CONSOLE_TOKEN }),
  }));
  const withdraw = (s: Session, callId: string) =>
    relay.fetch(`${relay.url}/console/api/scheduled/${callId}/withdraw`, {
      method: 'POST',
      headers: { Cookie: s.cookie, Origin: SITE, 'X-CSRF-Token': s.csrf },
    });
  /** The history row of a call, once its write has landed. */
  const row = async (callId: string, state: string) => {
    for (let i = 0; i < 50 && (await store.getHistory(callId))?.state !== state; i++) await sleep(10);
    return store.getHistory(callId);
  };

  it('lists a booked callback by its slot, and withdraws it as DELETE /calls/:id does', async () => {
    now = FRIDAY_1900_IST;
    const slot = Date.parse('2026-11-28T04:45:00Z');
    const booked = await relay.post('/calls', { phone: '+91 98111 60001', target: 'desk', at: iso(slot) });
    assert.equal(booked.status, 202);
    const { callId } = (await booked.json()) as { callId: string };
    const kept = await row(callId, 'scheduled');
    assert.equal(kept?.kind, 'booking');
    assert.equal(kept?.source, 'booking');
    assert.equal(kept?.scheduledFor, slot);
    const s = await session(relay);
    const queue = (await (await get(relay, '/console/api/scheduled', s)).json()) as { rows: { id: string }[] };
    assert.deepEqual(
      queue.rows.map((r) => r.id),
      [callId],
    );
    const response = await withdraw(s, callId);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { id: callId, state: 'canceled' });
    const call = (await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()) as { state: string };
    assert.equal(call.state, 'canceled', 'the relay’s own call ended');
    assert.equal((await row(callId, 'canceled'))?.state, 'canceled');
    const again = await relay.post('/calls', { phone: '+91 98111 60001', target: 'desk', at: iso(slot) });
    assert.equal(again.status, 202, 'its number and its place in the slot were given back');
  });

  it('will not withdraw a call that is ringing (409 call_in_progress)', async () => {
    now = FRIDAY_1130_IST;
    const placed = await relay.post('/calls', { phone: '+91 98111 60002', target: 'desk' });
    assert.equal(placed.status, 202);
    const { callId } = (await placed.json()) as { callId: string };
    await row(callId, 'initiated');
    // A row the console would not list, written as if it were still a booking.
    const kept = (await store.getHistory(callId))!;
    await store.recordHistory({ ...kept, state: 'scheduled', keepUntil: kept.keepUntil });
    const response = await withdraw(await session(relay), callId);
    assert.equal(response.status, 409);
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'call_in_progress');
  });

  it('says so when its script was not built', async () => {
    const response = await get(relay, '/console/console.js');
    assert.equal(response.status, 404);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTicket } from '../../src/relay/calls/tickets.js';
import { TEST_TOKEN } from '../helpers/constants.js';
import { until } from '../helpers/wait.js';
import {
  hookedWorkerScript,
  outside,
  book,
  postReport,
  slotsOnOffer,
  startWorkerRelay,
  tempFolder,
  TICKET_SECRET,
  visitorNumber,
  type WorkerRelay,
} from '../helpers/workerd.js';

// The built dist/workers/worker.js in workerd (Miniflare), as a site deploys it: every
// request for /c2c goes to the one RelayObject, whose state is its own SQLite storage.

/** Places a call and answers its id and what Mobtexting was sent for it. */
async function placeCall(relay: WorkerRelay, world: { calls: Record<string, string>[] }, ip?: string) {
  const response = await relay.post('/c2c/calls', { phone: visitorNumber(), target: 'sales' }, { ip });
  assert.equal(response.status, 202, await response.clone().text());
  const { callId } = (await response.json()) as { callId: string };
  const sent = world.calls.find((call) => call.mid === callId);
  assert.ok(sent, 'Mobtexting was asked for the call');
  return { callId, sent };
}

const stateOf = async (relay: WorkerRelay, callId: string) =>
  ((await (await relay.fetch(`/c2c/calls/${callId}`)).json()) as { state: string }).state;

describe('the relay Worker in workerd', () => {
  const world = outside();
  let relay: WorkerRelay;
  let ips = 0;
  const freshIp = () => `198.51.100.${++ips}`;
  before(async () => {
    relay = await startWorkerRelay({
      world,
      assets: (request) => new Response(`asset ${new URL(request.url).pathname}`),
    });
  });
  after(() => relay.stop());

  it('places many calls in a row, each asked of Mobtexting once', async () => {
    const before = world.calls.length;
    const ids = new Set<string>();
    for (let i = 0; i < 12; i++) ids.add((await placeCall(relay, world, freshIp())).callId);
    assert.equal(ids.size, 12);
    assert.equal(world.calls.length - before, 12);
  });

  it('answers 504 when Mobtexting does not answer in time, and places the next call', async () => {
    world.reply = 'hang';
    try {
      const response = await relay.post('/c2c/calls', { phone: visitorNumber(), target: 'sales' }, { ip: freshIp() });
      assert.equal(response.status, 504);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'upstream_timeout');
    } finally {
      world.reply = 'accept';
    }
    await placeCall(relay, world, freshIp());
  });

  it('brings the webhook’s report to the visitor’s event stream, which then ends', async () => {
    const { callId, sent } = await placeCall(relay, world, freshIp());
    const stream = await relay.stream(`/c2c/calls/${callId}/events`);
    await stream.states(1);
    assert.equal((await postReport(relay, sent)).status, 200);
    const states = await stream.states(2);
    assert.deepEqual(
      states.map((m) => JSON.parse(m.data!).state),
      ['initiated', 'completed'],
    );
    await stream.ended;
    assert.equal(await stateOf(relay, callId), 'completed');
  });

  it('counts the address limit across requests: the fourth call from one address is refused', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) await placeCall(relay, world, ip);
    const refused = await relay.post('/c2c/calls', { phone: visitorNumber(), target: 'sales' }, { ip });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    await placeCall(relay, world, freshIp());
  });

  it('holds a number for its call: a second call to it is refused until the first ends', async () => {
    const phone = visitorNumber();
    const first = await relay.post('/c2c/calls', { phone, target: 'sales' }, { ip: freshIp() });
    assert.equal(first.status, 202);
    const second = await relay.post('/c2c/calls', { phone, target: 'sales' }, { ip: freshIp() });
    assert.equal(second.status, 409);
    assert.equal(((await second.json()) as { error: { code: string } }).error.code, 'call_in_progress');
  });

  it('sends only the relay’s paths to the object, and the rest to the Worker’s assets', async () => {
    const health = await relay.fetch('/c2c/health');
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { store: string }).store, 'ok');
    assert.equal(await (await relay.fetch('/mt-click-to-call.js')).text(), 'asset /mt-click-to-call.js');
    assert.equal(await (await relay.fetch('/c2c-other')).text(), 'asset /c2c-other');
    const unknown = await relay.fetch('/c2c/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(((await unknown.json()) as { error: { code: string } }).error.code, 'not_found');
  });

  it('shows the API token in no answer, error or event stream', async () => {
    const { callId, sent } = await placeCall(relay, world, freshIp());
    const stream = await relay.stream(`/c2c/calls/${callId}/events`);
    await stream.states(1);
    assert.equal((await postReport(relay, sent, 'BUSY')).status, 200);
    await stream.states(2);
    await stream.ended;
    const streamed = stream.messages.map((m) => JSON.stringify(m)).join('\n');
    assert.ok(!streamed.includes(TEST_TOKEN), 'the token was in the stream');
    await relay.post('/c2c/calls', { phone: 'not a number', target: 'sales' });
    await relay.fetch('/c2c/calls/00000000-0000-4000-8000-000000000009');
    // Answers of every kind were read, these and the other tests' (the helper checks each
    // for every secret when stopped).
    const statuses = new Set(relay.answers.map((answer) => answer.split('\n', 1)[0]));
    for (const status of ['200', '202', '404', '422']) assert.ok(statuses.has(status), status);
    assert.deepEqual(
      relay.answers.filter((answer) => answer.includes(TEST_TOKEN)),
      [],
    );
  });
});

describe('the relay Worker, killed and started again on the same storage', () => {
  const world = outside();
  const persist = tempFolder('mt-c2c-workers-');
  let ticket: string;
  let call: { callId: string; sent: Record<string, string> };
  let phone: string;
  let slot: string;
  let booking: string;
  const ip = '192.0.2.77';

  before(async () => {
    const first = await startWorkerRelay({ world, persist });
    try {
      ticket = await createTicket({ secret: TICKET_SECRET, to: '+91 98222 11111', target: 'sales' });
      assert.equal((await first.post('/c2c/calls', { ticket }, { ip: '192.0.2.1' })).status, 202);
      phone = visitorNumber();
      const placed = await first.post('/c2c/calls', { phone, target: 'sales' }, { ip });
      assert.equal(placed.status, 202);
      const { callId } = (await placed.json()) as { callId: string };
      call = { callId, sent: world.calls.find((c) => c.mid === callId)! };
      for (let i = 0; i < 2; i++) await placeCall(first, world, ip);
      // The latest slot on offer, not due while the tests run, booked full.
      slot = (await slotsOnOffer(first)).at(-1)!;
      booking = await book(first, slot, '192.0.2.20');
      await book(first, slot, '192.0.2.21');
    } finally {
      await first.stop();
    }
  });

  let relay: WorkerRelay;
  before(async () => {
    relay = await startWorkerRelay({ world, persist });
  });
  after(() => relay.stop());

  it('keeps the call, and its stream replays it and follows its report', async () => {
    assert.equal(await stateOf(relay, call.callId), 'initiated');
    const stream = await relay.stream(`/c2c/calls/${call.callId}/events`);
    await stream.states(1);
    assert.equal((await postReport(relay, call.sent)).status, 200);
    const states = await stream.states(2);
    assert.deepEqual(
      states.map((m) => [m.id, JSON.parse(m.data!).state]),
      [
        ['1', 'initiated'],
        ['2', 'completed'],
      ],
    );
  });

  it('keeps a used ticket used', async () => {
    const again = await relay.post('/c2c/calls', { ticket }, { ip: '192.0.2.2' });
    assert.equal(again.status, 403);
    assert.equal(((await again.json()) as { error: { code: string } }).error.code, 'invalid_ticket');
  });

  it('keeps the address’s limit counted', async () => {
    const refused = await relay.post('/c2c/calls', { phone: visitorNumber(), target: 'sales' }, { ip });
    assert.equal(refused.status, 429);
  });

  it('keeps an open call’s number claimed', async () => {
    const [open] = world.calls.slice(-1);
    const refused = await relay.post('/c2c/calls', { phone: `+${open!.from}`, target: 'sales' }, { ip: '192.0.2.3' });
    assert.equal(refused.status, 409);
  });

  it('keeps a booking, and the places taken in its slot', async () => {
    const read = (await (await relay.fetch(`/c2c/calls/${booking}`)).json()) as { state: string; at: string };
    assert.deepEqual([read.state, read.at], ['scheduled', slot]);
    assert.ok(!(await slotsOnOffer(relay)).includes(slot), 'a full slot is not offered');
    const third = await relay.post(
      '/c2c/calls',
      { phone: visitorNumber(), target: 'sales', at: slot },
      { ip: '192.0.2.22' },
    );
    assert.equal(third.status, 409);
    assert.equal(((await third.json()) as { error: { code: string } }).error.code, 'slot_full');
  });
});

describe('a site’s own RelayObject, with an onCallEnded hook, and its alarm', () => {
  const world = outside();
  const persist = tempFolder('mt-c2c-workers-hooked-');
  const script = hookedWorkerScript();
  let overdue: { callId: string; sent: Record<string, string> };

  it('delivers the hook’s report of a call the webhook ended', async () => {
    const relay = await startWorkerRelay({ world, persist, script, className: 'HookedRelay' });
    try {
      const { callId, sent } = await placeCall(relay, world, '192.0.2.10');
      assert.equal((await postReport(relay, sent)).status, 200);
      await until(() => world.hooks.some((report) => report.callId === callId), 'the hook’s report');
      const report = world.hooks.find((r) => r.callId === callId)!;
      assert.equal(report.state, 'completed');
      assert.equal(report.to, '918046000100');
      overdue = await placeCall(relay, world, '192.0.2.11');
    } finally {
      await relay.stop();
    }
  });

  it('settles a call whose report never came by its alarm, after a restart, and tells the hook', async () => {
    // Started again 21 minutes later by the relay's clock: the call (15 minutes, and 5 of
    // grace) is overdue, and the object's alarm settles it as `unknown`.
    const relay = await startWorkerRelay({
      world,
      persist,
      script,
      className: 'HookedRelay',
      vars: { TEST_CLOCK_OFFSET_MS: String(21 * 60_000) },
    });
    try {
      const stream = await relay.stream(`/c2c/calls/${overdue.callId}/events`);
      const states = await stream.states(2, 10_000);
      assert.equal(JSON.parse(states[1]!.data!).state, 'unknown');
      await until(() => world.hooks.some((r) => r.callId === overdue.callId), 'the hook’s report', 10_000);
      assert.equal(world.hooks.find((r) => r.callId === overdue.callId)!.state, 'unknown');
    } finally {
      await relay.stop();
    }
  });
});

describe('a booked callback, dialled by the object’s alarm at its slot', () => {
  const world = outside();
  const persist = tempFolder('mt-c2c-workers-booked-');
  const script = hookedWorkerScript();
  let slot: string;
  let booking: string;

  it('is dialled once its slot comes, after a restart, and its stream follows it', async () => {
    const first = await startWorkerRelay({ world, persist, script, className: 'HookedRelay' });
    try {
      slot = (await slotsOnOffer(first))[0]!;
      booking = await book(first, slot, '192.0.2.30');
    } finally {
      await first.stop();
    }
    assert.ok(!world.calls.some((c) => c.mid === booking), 'nothing dialled before its slot');
    // Started again with the relay's clock two seconds past the slot: nothing but the
    // object's alarm can dial it.
    const offset = Date.parse(slot) - Date.now() + 2000;
    const relay = await startWorkerRelay({
      world,
      persist,
      script,
      className: 'HookedRelay',
      vars: { TEST_CLOCK_OFFSET_MS: String(offset) },
    });
    try {
      const stream = await relay.stream(`/c2c/calls/${booking}/events`);
      const states = await stream.states(2, 10_000);
      assert.deepEqual(
        states.map((m) => JSON.parse(m.data!).state),
        ['scheduled', 'initiated'],
      );
      assert.equal(world.calls.filter((c) => c.mid === booking).length, 1, 'dialled once');
      stream.close();
    } finally {
      await relay.stop();
    }
  });
});

describe('the relay Worker, misconfigured', () => {
  let relay: WorkerRelay;
  before(async () => {
    relay = await startWorkerRelay({ vars: { MT_BRIDGE: undefined, MT_TARGETS: '{"sales":' } });
  });
  after(() => relay.stop());

  it('answers every request 500 relay_misconfigured, and logs each problem', async () => {
    for (const path of ['/c2c/health', '/c2c/calls/00000000-0000-4000-8000-000000000001']) {
      const response = await relay.fetch(path);
      assert.equal(response.status, 500);
      assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'relay_misconfigured');
    }
    const problems = relay.logs.filter((line) => line.includes('relay.misconfigured'));
    assert.deepEqual(problems.map((line) => JSON.parse(line).problem).sort(), [
      'MT_BRIDGE: is required',
      'MT_TARGETS: is not valid JSON',
    ]);
  });
});

describe('the relay Worker in sandbox mode (no MT_API_TOKEN)', () => {
  let relay: WorkerRelay;
  before(async () => {
    relay = await startWorkerRelay({
      vars: {
        MT_API_TOKEN: undefined,
        MT_API_BASE: undefined,
        MT_WEBHOOK_SECRET: undefined,
        MT_TARGETS: undefined,
        MT_SANDBOX_DELAY_MS: '50',
      },
    });
  });
  after(() => relay.stop());

  it('reports a call from the built-in simulator, dialling nothing', async () => {
    const placed = await relay.post('/c2c/calls', { phone: '+91 98765 40001', target: 'sales' });
    assert.equal(placed.status, 202);
    const { callId } = (await placed.json()) as { callId: string };
    const stream = await relay.stream(`/c2c/calls/${callId}/events`);
    const states = await stream.states(2, 10_000);
    assert.equal(JSON.parse(states[1]!.data!).state, 'busy', 'a number ending 0001 is busy');
  });
});

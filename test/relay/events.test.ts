import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryCallStore, type CallEndedReport } from '../../src/relay/index.js';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { startFakeUpstream, type FakeUpstream } from '../helpers/http.js';
import { startRelay, TEST_BRIDGE, TEST_TOKEN, TEST_WEBHOOK_SECRET, type TestRelay } from '../helpers/relay.js';
import { openSse } from '../helpers/sse.js';
import { until } from '../helpers/wait.js';

describe('call events over Server-Sent Events, with the sandbox reporting over HTTP', () => {
  let sandbox: SandboxServer;
  let relay: TestRelay;
  let store: MemoryCallStore;
  before(async () => {
    let relayUrl = '';
    sandbox = await startSandboxServer({
      token: TEST_TOKEN,
      webhookSecret: TEST_WEBHOOK_SECRET,
      webhookUrl: () => `${relayUrl}/webhooks/mobtexting`,
      delayMs: 400,
    });
    store = new MemoryCallStore();
    relay = await startRelay({ apiBase: sandbox.apiBase, store, heartbeatMs: 100 });
    relayUrl = relay.url;
  });
  after(async () => {
    await relay.close();
    await sandbox.close();
  });

  const call = async (phone: string) =>
    (await (await relay.post('/calls', { phone, target: 'sales' })).json()).callId as string;

  it('streams initiated, then the final state from the sandbox’s webhook, then ends', async () => {
    const callId = await call('+91 98111 20001');
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    assert.equal(stream.response.status, 200);
    assert.equal(stream.response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(stream.response.headers.get('cache-control'), 'no-store');
    const [initiated, busy] = await stream.states(2);
    assert.equal(initiated!.id, '1');
    assert.equal(busy!.id, '2');
    assert.equal(JSON.parse(initiated!.data!).state, 'initiated');
    const final = JSON.parse(busy!.data!);
    assert.equal(final.state, 'busy');
    assert.equal(final.callId, callId);
    assert.equal(final.phone, '+91 98••• ••001');
    await stream.ended;
    assert.equal(stream.messages[0]!.retry, '3000');
    assert.equal(store.listenerCount(), 0, 'an ended stream holds nothing');
  });

  it('sends heartbeats while a call is waiting for its report', async () => {
    const callId = await call('+91 98111 50007'); // the sandbox never reports this one
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    try {
      await stream.states(1);
      for (let i = 0; i < 100 && !stream.messages.some((m) => m.comment === 'keep-alive'); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(
        stream.messages.some((m) => m.comment === 'keep-alive'),
        'heartbeats while waiting',
      );
    } finally {
      stream.close();
    }
    await until(() => store.listenerCount() === 0, 'the stream to be released');
  });

  it('replays only what came after Last-Event-ID, and ends at once for an ended call', async () => {
    const callId = await call('+91 98111 20002');
    await until(async () => (await store.getCall(callId))!.state === 'no-answer', 'the report');
    const resumed = await openSse(`${relay.url}/calls/${callId}/events`, { 'Last-Event-ID': '1' });
    await resumed.ended;
    const states = resumed.messages.filter((m) => m.event === 'state');
    assert.deepEqual(
      states.map((m) => [m.id, JSON.parse(m.data!).state]),
      [['2', 'no-answer']],
    );
    const everything = await openSse(`${relay.url}/calls/${callId}/events?lastEventId=0`);
    await everything.ended;
    assert.equal(everything.messages.filter((m) => m.event === 'state').length, 2);
  });

  it('answers 204 to a client reconnecting after it saw the final state, so it stops', async () => {
    const callId = await call('+91 98111 20004');
    await until(async () => (await store.getCall(callId))!.state !== 'initiated', 'the report');
    const events = await store.readEvents(callId);
    const again = await relay.fetch(`${relay.url}/calls/${callId}/events`, {
      headers: { 'Last-Event-ID': events.at(-1)!.id },
    });
    assert.equal(again.status, 204);
    assert.equal(store.listenerCount(), 0);
  });

  it('lets a client that dropped pick up the final state on reconnecting', async () => {
    const callId = await call('+91 98111 20003');
    const first = await openSse(`${relay.url}/calls/${callId}/events`);
    const [initiated] = await first.states(1);
    first.close();
    await until(() => store.listenerCount() === 0, 'the dropped client to be released');
    await until(async () => (await store.getCall(callId))!.state !== 'initiated', 'the report');
    const again = await openSse(`${relay.url}/calls/${callId}/events`, { 'Last-Event-ID': initiated!.id! });
    const [final] = await again.states(1);
    assert.equal(JSON.parse(final!.data!).state, 'agent-unavailable');
  });

  it('releases a client that goes away at once', async () => {
    const callId = await call('+91 98111 20007');
    const streams = await Promise.all([1, 2, 3].map(() => openSse(`${relay.url}/calls/${callId}/events`)));
    await Promise.all(streams.map((s) => s.states(1)));
    assert.equal(store.listenerCount(), 3);
    for (const s of streams) s.close();
    await until(() => store.listenerCount() === 0, 'every listener released', 1000);
  });

  it('answers 404 for an unknown call', async () => {
    const response = await relay.fetch(`${relay.url}/calls/00000000-0000-4000-8000-000000000000/events`);
    assert.equal(response.status, 404);
    assert.equal((await response.json()).error.code, 'unknown_call');
  });
});

describe('calls whose report never comes', () => {
  let upstream: FakeUpstream;
  let relay: TestRelay;
  let clock = Date.now();
  const ended: CallEndedReport[] = [];
  before(async () => {
    upstream = await startFakeUpstream();
    relay = await startRelay({
      apiBase: upstream.apiBase,
      now: () => clock,
      reportGraceMs: 60_000,
      sweepIntervalMs: 20,
      onCallEnded: (r) => void ended.push(r),
    });
  });
  after(async () => {
    await relay.close();
    await upstream.close();
  });

  it('stay initiated until the target’s duration plus the grace has passed, then become unknown', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 30001', target: 'sales' })).json();
    const stream = await openSse(`${relay.url}/calls/${callId}/events`);
    await stream.states(1);
    clock += 15 * 60_000 + 59_000; // sales: 15 minutes; grace: 1 minute
    assert.equal((await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()).state, 'initiated');
    clock += 2_000;
    const [, unknown] = await stream.states(2);
    assert.equal(JSON.parse(unknown!.data!).state, 'unknown');
    assert.equal((await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()).state, 'unknown');
    await until(() => ended.some((r) => r.callId === callId), 'the hook');
    assert.equal(ended.find((r) => r.callId === callId)!.state, 'unknown');
  });

  it('are settled even when nobody watches them', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 30002', target: 'support' })).json();
    clock += 61 * 60_000 + 60_000; // no duration: 60 minutes assumed
    await until(() => ended.some((r) => r.callId === callId), 'the sweep');
    assert.ok(
      relay.logs.some((l) => l.event === 'call.ended' && l.fields?.callId === callId && l.fields?.state === 'unknown'),
    );
  });

  it('ignore a report that arrives after they were given up', async () => {
    const { callId } = await (await relay.post('/calls', { phone: '+91 98111 30003', target: 'sales' })).json();
    clock += 20 * 60_000;
    await relay.relay.sweep();
    assert.equal((await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()).state, 'unknown');
    const response = await relay.fetch(`${relay.url}/webhooks/mobtexting`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
      body: JSON.stringify({
        bridge: TEST_BRIDGE,
        from: '919811130003',
        to: '918046000100',
        mid: callId,
        status: 'COMPLETED',
        status1: 'ANSWER',
        status2: 'ANSWER',
      }),
    });
    assert.equal(response.status, 200);
    assert.equal((await response.json()).state, 'unknown');
    assert.equal((await (await relay.fetch(`${relay.url}/calls/${callId}`)).json()).state, 'unknown');
    assert.ok(relay.logs.some((l) => l.event === 'webhook.late' && l.fields?.reported === 'completed'));
  });
});

import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSandboxServer, type SandboxServer } from '../../src/sandbox/index.js';
import { closeServer } from '../helpers/http.js';

const TOKEN = 'sandbox-test-token';
const SECRET = 'sandbox-webhook-secret';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on real HTTP that keeps what arrives. */
async function startReceiver() {
  const received: Received[] = [];
  const waiters: (() => void)[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('{}');
      waiters.splice(0).forEach((wake) => wake());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    next: () => new Promise<void>((resolve) => waiters.push(resolve)),
    close: () => closeServer(server),
  };
}

describe('the sandbox Mobtexting API', () => {
  let sandbox: SandboxServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    receiver = await startReceiver();
    sandbox = await startSandboxServer({ token: TOKEN, webhookUrl: receiver.url, webhookSecret: SECRET, delayMs: 20 });
  });
  after(async () => {
    await sandbox.close();
    await receiver.close();
  });

  const c2c = (body: unknown, token = TOKEN) =>
    fetch(`${sandbox.apiBase}voice/c2c`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('refuses a wrong token like Mobtexting', async () => {
    const response = await c2c({ bridge: '918046000000', from: '919876543210', to: '918046000100' }, 'wrong');
    assert.equal(response.status, 401);
    assert.deepEqual(await response.json(), { status: 401, message: 'Unauthenticated.' });
  });

  it('accepts the token as access_token in the query', async () => {
    const arrived = receiver.next();
    const response = await fetch(`${sandbox.apiBase}voice/c2c?access_token=${TOKEN}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ bridge: '918046000000', from: '919876543217', to: '918046000100' }),
    });
    assert.equal(response.status, 200);
    await arrived;
  });

  it('answers 422 in Mobtexting’s shape when bridge, from or to is missing', async () => {
    const response = await c2c({ from: '919876543210' });
    assert.equal(response.status, 422);
    const body = await response.json();
    assert.equal(body.status, 422);
    assert.deepEqual(Object.keys(body.errors).sort(), ['bridge', 'to']);
    assert.deepEqual(body.errors.to, ['The to field is required.']);
  });

  it('checks the documented limits of the optional fields', async () => {
    const response = await c2c({
      bridge: '918046000000',
      from: '+919876543210',
      to: 'flow:x',
      record: 'yes',
      attempts: '3',
    });
    assert.equal(response.status, 422);
    assert.deepEqual(Object.keys((await response.json()).errors).sort(), ['attempts', 'from', 'record', 'to']);
  });

  it('answers like the document and then posts the document’s webhook body with the secret', async () => {
    const arrived = receiver.next();
    const response = await c2c({
      bridge: '918046000000',
      from: '919876543210',
      to: '918046000100',
      mid: 'm-1',
      record: '1',
    });
    assert.equal(response.status, 200);
    const answer = await response.json();
    assert.equal(answer.status, 200);
    assert.equal(answer.message, 'call initiated successfully');
    assert.match(answer.callId, /^[0-9a-f-]{36}$/);
    await arrived;
    const delivery = receiver.received.at(-1)!;
    assert.equal(delivery.headers.authorization, `Bearer ${SECRET}`);
    assert.equal(delivery.headers['content-type'], 'application/json');
    // Bare numbers, as in the document's example: not quoted in the raw JSON.
    assert.match(delivery.body, /"bridge":918046000000,"from":919876543210,"to":918046000100/);
    const report = JSON.parse(delivery.body);
    assert.deepEqual(Object.keys(report), [
      'bridge',
      'from',
      'to',
      'source',
      'start_at',
      'end_at',
      'date',
      'unixtime',
      'duration',
      'billing',
      'status',
      'status1',
      'status2',
      'recording_url',
      'hangup_by',
    ]);
    assert.equal(report.source, 'C2C');
    assert.match(report.start_at, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.match(report.unixtime, /^\d{10}$/);
    assert.equal(typeof report.duration, 'string');
    assert.equal(typeof report.billing, 'string');
    assert.deepEqual([report.status, report.status1, report.status2], ['COMPLETED', 'ANSWER', 'ANSWER']);
    assert.match(report.recording_url, /^https:\/\//);
  });

  const OUTCOMES: [string, string[]][] = [
    ['0001', ['BUSY', 'BUSY', '']],
    ['0002', ['NOANSWER', 'NOANSWER', '']],
    ['0003', ['NOANSWER', 'ANSWER', 'NOANSWER']],
    ['0004', ['CHANUNAVAIL', 'CHANUNAVAIL', '']],
    ['0005', ['CANCEL', 'CANCEL', '']],
  ];
  for (const [ending, statuses] of OUTCOMES) {
    it(`reports ${statuses[0]} for a visitor number ending ${ending}`, async () => {
      const arrived = receiver.next();
      await c2c({ bridge: '918046000000', from: `91987654${ending}`, to: '918046000100' });
      await arrived;
      const report = JSON.parse(receiver.received.at(-1)!.body);
      assert.deepEqual([report.status, report.status1, report.status2], statuses);
      assert.equal(report.from, Number(`91987654${ending}`));
    });
  }

  it('reports by leg when the agent is rung first', async () => {
    const arrived = receiver.next();
    await c2c({ bridge: '918046000000', from: '918046000100', to: '919876540001' });
    await arrived;
    const report = JSON.parse(receiver.received.at(-1)!.body);
    assert.deepEqual([report.status, report.status1, report.status2], ['BUSY', 'ANSWER', 'BUSY']);
  });

  it('keeps a flow as a string and reports RECEIVED for it', async () => {
    const arrived = receiver.next();
    await c2c({ bridge: '918046000000', from: '919876543210', to: 'flow:220', 'variables[Name]': 'Asha' });
    await arrived;
    const report = JSON.parse(receiver.received.at(-1)!.body);
    assert.equal(report.to, 'flow:220');
    assert.equal(report.status2, 'RECEIVED');
    assert.equal(sandbox.sandbox.requests.at(-1)!['variables[Name]'], 'Asha');
  });

  it('fails like a broken server for numbers ending 0006 and never reports those ending 0007', async () => {
    const broken = await c2c({ bridge: '918046000000', from: '919876540006', to: '918046000100' });
    assert.equal(broken.status, 500);
    assert.match(await broken.text(), /<html>/);
    const before = receiver.received.length;
    const silent = await c2c({ bridge: '918046000000', from: '919876540007', to: '918046000100' });
    assert.equal(silent.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(receiver.received.length, before);
  });
});

describe('the sandbox’s older answer', () => {
  it('omits callId when told to answer like older deployments', async () => {
    const sandbox = await startSandboxServer({ token: TOKEN, legacyAnswer: true });
    try {
      const response = await fetch(`${sandbox.apiBase}voice/c2c`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ bridge: '918046000000', from: '919876543210', to: '918046000100' }),
      });
      assert.deepEqual(await response.json(), { status: 200, message: 'Call initiated successfully' });
    } finally {
      await sandbox.close();
    }
  });
});

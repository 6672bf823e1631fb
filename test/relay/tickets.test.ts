import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTicket } from '../../src/relay/index.js';
import { runToEnd } from '../helpers/process.js';
import { createTestRelay, useRelay } from '../helpers/relay.js';

const SECRET = 'ticket-secret-0123456789abcdef0123456789';

describe('signed CRM tickets', () => {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const { relay, upstream } = useRelay({ ticketSecret: SECRET, now: () => now });

  const ticket = (claims: Partial<Parameters<typeof createTicket>[0]> = {}) =>
    createTicket({ secret: SECRET, to: '+91 98765 55501', target: 'sales', now, ...claims });
  const call = (body: unknown) => relay.post('/calls', body);
  const refusal = async (response: Response) => {
    const body = await response.json();
    return [response.status, body.error.code, body.error.message] as const;
  };

  it('rings the agent first, then the customer the backend signed, showing only the label', async () => {
    const signed = await ticket({ to: '+91 98765 55502', from: '+91 98111 00001', label: 'Asha K.', target: 'sales' });
    const before = upstream.requests.length;
    const response = await call({ ticket: signed });
    assert.equal(response.status, 202);
    const accepted = await response.json();
    assert.equal(accepted.phone, 'Asha K.');
    assert.equal(upstream.requests.length - before, 1);
    const sent = JSON.parse(upstream.requests.at(-1)!.body);
    assert.equal(sent.from, '919811100001');
    assert.equal(sent.to, '919876555502');
    assert.equal(sent.record, '1', 'the target’s settings apply');
    const publicCall = await (await relay.fetch(`${relay.url}/calls/${accepted.callId}`)).json();
    assert.equal(publicCall.phone, 'Asha K.');
    assert.ok(!JSON.stringify(relay.logs).includes('9876555502'), 'logs carry the label, not the number');
  });

  it('rings the target’s own number first when the ticket names no agent, and masks by default', async () => {
    const response = await call({ ticket: await ticket({ to: '+91 98765 55503', target: 'support' }) });
    assert.equal(response.status, 202);
    assert.equal((await response.json()).phone, '+91 98••• ••503');
    const sent = JSON.parse(upstream.requests.at(-1)!.body);
    assert.deepEqual([sent.from, sent.to], ['918046000200', '919876555503']);
  });

  it('keeps the numbers out of what the page can read', async () => {
    const signed = await ticket({ to: '+91 98765 55504', from: '+91 98111 00002' });
    const payload = Buffer.from(signed.split('.')[1]!, 'base64url').toString();
    assert.doesNotMatch(payload, /98765|55504|98111|00002/);
    assert.equal(JSON.parse(payload).label, '+91 98••• ••504');
  });

  it('serves one call per ticket', async () => {
    const signed = await ticket({ to: '+91 98765 55505' });
    assert.equal((await call({ ticket: signed })).status, 202);
    const [status, code, message] = await refusal(await call({ ticket: signed }));
    assert.deepEqual([status, code], [403, 'invalid_ticket']);
    assert.match(message, /already used/);
  });

  it('refuses an expired ticket', async () => {
    const signed = await ticket({ to: '+91 98765 55506', ttlSeconds: 60 });
    now += 60_000;
    try {
      const [status, code, message] = await refusal(await call({ ticket: signed }));
      assert.deepEqual([status, code], [403, 'invalid_ticket']);
      assert.match(message, /expired/);
    } finally {
      now -= 60_000;
    }
  });

  it('refuses a tampered ticket and one signed with another secret', async () => {
    const open = createTestRelay({ apiBase: upstream.apiBase, ticketSecret: SECRET, now: () => now });
    try {
      const [header, payload, signature] = (await ticket({ to: '+91 98765 55507', label: 'Asha' })).split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const forged = Buffer.from(JSON.stringify({ ...claims, label: 'Someone else' })).toString('base64url');
      const foreign = await createTicket({
        secret: 'another-secret-0123456789abcdef0123',
        to: '+91 98765 55508',
        target: 'sales',
        now,
      });
      for (const bad of [`${header}.${forged}.${signature}`, foreign, 'not.a.ticket', `${header}.${payload}.`]) {
        const response = await open.post('/calls', { ticket: bad });
        assert.deepEqual((await refusal(response)).slice(0, 2), [403, 'invalid_ticket'], bad);
      }
    } finally {
      await open.close();
    }
  });

  it('never lets the browser change whom a ticket calls', async () => {
    const signed = await ticket({ to: '+91 98765 55509', target: 'sales' });
    assert.equal((await call({ ticket: signed, phone: '+91 98765 00000' })).status, 400);
    assert.deepEqual((await refusal(await call({ ticket: signed, target: 'support' }))).slice(0, 2), [
      403,
      'invalid_ticket',
    ]);
    assert.equal((await call({ ticket: signed, to: '919000000000' })).status, 400);
    const untargeted = await ticket({ to: '+91 98765 55517', target: undefined });
    assert.deepEqual(
      (await refusal(await call({ ticket: untargeted, target: 'otp-ivr' }))).slice(0, 2),
      [403, 'invalid_ticket'],
      'nor pick the target of a ticket that names none',
    );
  });

  it('uses the default target for a ticket that names none', async () => {
    const single = createTestRelay({
      apiBase: upstream.apiBase,
      ticketSecret: SECRET,
      now: () => now,
      targets: { default: { to: '918046000400' } },
    });
    try {
      const response = await single.post('/calls', {
        ticket: await ticket({ to: '+91 98765 55518', target: undefined }),
      });
      assert.equal(response.status, 202);
      assert.equal(JSON.parse(upstream.requests.at(-1)!.body).from, '918046000400');
    } finally {
      await single.close();
    }
  });

  it('is not used up by an attempt that failed', async () => {
    const signed = await ticket({ to: '+91 98765 55519' });
    upstream.reply = { status: 500, body: '{}' };
    try {
      assert.equal((await call({ ticket: signed })).status, 502);
    } finally {
      upstream.reply = { status: 200, body: JSON.stringify({ status: 200, message: 'ok' }) };
    }
    assert.equal((await call({ ticket: signed })).status, 202, 'the same ticket works after Mobtexting failed');
  });

  it('applies the number rules to signed numbers too', async () => {
    const [status, code] = await refusal(await call({ ticket: await ticket({ to: '+44 909 879 0000' }) }));
    assert.deepEqual([status, code], [403, 'number_not_allowed']);
  });

  it('does not count ticket calls against the client address, which a CRM’s agents share, but counts bad tickets', async () => {
    const limited = createTestRelay({
      apiBase: upstream.apiBase,
      ticketSecret: SECRET,
      now: () => now,
      rateLimits: 'ip=1/1h',
    });
    try {
      for (const to of ['+91 98765 55510', '+91 98765 55511', '+91 98765 55512']) {
        assert.equal((await limited.post('/calls', { ticket: await ticket({ to }) })).status, 202);
      }
      assert.equal((await limited.post('/calls', { ticket: 'forged.ticket.here' })).status, 403);
      assert.equal(
        (await limited.post('/calls', { ticket: 'forged.ticket.again' })).status,
        429,
        'guessing tickets is limited',
      );
    } finally {
      await limited.close();
    }
    const reuse = createTestRelay({
      apiBase: upstream.apiBase,
      ticketSecret: SECRET,
      now: () => now,
      rateLimits: 'ip=1/1h',
    });
    try {
      const signed = await ticket({ to: '+91 98765 55520' });
      assert.equal((await reuse.post('/calls', { ticket: signed })).status, 202);
      assert.equal((await reuse.post('/calls', { ticket: signed })).status, 403, 'a used ticket is refused…');
      assert.equal((await reuse.post('/calls', { ticket: signed })).status, 429, '…and counts against the address');
    } finally {
      await reuse.close();
    }
  });

  it('are refused where tickets are not enabled', async () => {
    const plain = createTestRelay({ apiBase: upstream.apiBase });
    try {
      const response = await plain.post('/calls', { ticket: await ticket({ to: '+91 98765 55513' }) });
      const body = await response.json();
      assert.deepEqual([response.status, body.error.code], [403, 'invalid_ticket']);
    } finally {
      await plain.close();
    }
  });

  it('can be made with mt-c2c-relay ticket', async () => {
    const made = await runToEnd(
      [
        '--import',
        'tsx',
        'src/relay/node/cli.ts',
        'ticket',
        '--to',
        '+91 98765 55514',
        '--label',
        'Ravi',
        '--target',
        'sales',
      ],
      { MT_TICKET_SECRET: SECRET },
    );
    assert.equal(made.code, 0, made.stderr);
    const response = await call({ ticket: made.stdout.trim() });
    assert.equal(response.status, 202);
    assert.equal((await response.json()).phone, 'Ravi');
    const missing = await runToEnd(
      ['--import', 'tsx', 'src/relay/node/cli.ts', 'ticket', '--to', '+91 98765 55515'],
      {},
    );
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /MT_TICKET_SECRET: is required/);
  });

  it('refuses to sign with a short secret or a bad number', async () => {
    await assert.rejects(createTicket({ secret: 'short', to: '+91 98765 55516' }), /at least 32 characters/);
    await assert.rejects(createTicket({ secret: SECRET, to: 'call me' }), /Ticket to: must be a phone number/);
  });
});

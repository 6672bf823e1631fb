import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aggregatingLogger, maskNumbers, type LogFields } from '../../src/relay/log.js';

describe('maskNumbers', () => {
  it('masks a phone number however it is written', () => {
    for (const written of ['+91 98222 00001', '919822200001', '(919822-200001)', '98222-00001', '+1 (212) 555-0134']) {
      const masked = maskNumbers(`number ${written} here`);
      assert.doesNotMatch(masked, /\d{4}/, `${written} → ${masked}`);
    }
  });

  it('leaves call ids, addresses, times and short numbers alone', () => {
    for (const kept of [
      '12345678-1234-4abc-9def-123456789012',
      '198.51.100.7',
      '2001:db8::1',
      '2026-11-27T11:18:21.123Z',
      'retry in 3600 s',
    ]) {
      assert.equal(maskNumbers(kept), kept);
    }
  });
});

describe('aggregatingLogger', () => {
  it('writes a repeated warning once a window, then how often it came', () => {
    let now = 0;
    const lines: [string, LogFields | undefined][] = [];
    const log = aggregatingLogger(
      (_level, event, fields) => lines.push([event, fields]),
      { 'origin.refused': 'origin' },
      () => now,
    );
    for (let i = 0; i < 5; i++) log('warn', 'origin.refused', { origin: 'https://a.example' });
    log('warn', 'origin.refused', { origin: 'https://b.example' });
    log('info', 'call.initiated', { callId: 'x' });
    assert.deepEqual(
      lines.map(([event, fields]) => `${event} ${fields?.origin ?? fields?.callId}`),
      ['origin.refused https://a.example', 'origin.refused https://b.example', 'call.initiated x'],
    );
    now = 60_000;
    log.flush();
    assert.deepEqual(lines.at(-1), ['log.repeated', { event: 'origin.refused', kind: 'https://a.example', count: 4 }]);
  });
});

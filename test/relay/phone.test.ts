import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RelayError } from '../../src/relay/errors.js';
import { parseVisitorPhone } from '../../src/relay/phone/visitor-number.js';

const india = { defaultCountry: 'IN', allowedCountries: new Set(['IN']) };

function refusal(raw: string, policy = india): RelayError {
  try {
    parseVisitorPhone(raw, policy);
  } catch (err) {
    assert.ok(err instanceof RelayError);
    return err;
  }
  assert.fail(`${raw} was accepted`);
}

describe('parseVisitorPhone', () => {
  it('reads the ways people write an Indian mobile number', () => {
    for (const raw of [
      '+91 98765 43210',
      '+919876543210',
      '9876543210',
      '098765-43210',
      '(0)98765 43210',
      ' +91 98765 43210 ',
    ]) {
      assert.equal(parseVisitorPhone(raw, india).digits, '919876543210', raw);
    }
  });

  it('accepts landlines and masks every number', () => {
    const landline = parseVisitorPhone('080 2345 6789', india);
    assert.equal(landline.digits, '918023456789');
    assert.equal(landline.masked, '+91 80••• ••789');
    assert.equal(landline.country, 'IN');
  });

  it('assumes the first allowed country for numbers without +', () => {
    const uae = { defaultCountry: 'AE', allowedCountries: new Set(['AE', 'IN']) };
    assert.equal(parseVisitorPhone('050 123 4567', uae).digits, '971501234567');
    assert.equal(parseVisitorPhone('+91 98765 43210', uae).digits, '919876543210');
  });

  it('refuses malformed input as invalid_phone', () => {
    for (const raw of [
      '',
      '+',
      '+0',
      '12',
      'abc',
      '+91 ٩٨٧٦٥٤٣٢١٠',
      '+91９８７６５４３２１０',
      '+91 98765\n43210',
      '+91 98765 43210 ext 12',
      '+91+9876543210',
      '100',
      '112',
    ]) {
      const err = refusal(raw);
      assert.equal(err.code, 'invalid_phone', JSON.stringify(raw));
      assert.equal(err.details.field, 'phone');
    }
  });

  it('refuses numbers of countries not allowed, saying it is the country', () => {
    const err = refusal('+1 212 555 0134');
    assert.equal(err.code, 'country_not_allowed');
    assert.equal(err.status, 422);
  });

  it('refuses every number type a person does not answer, naming it', () => {
    const policy = { defaultCountry: 'IN', allowedCountries: new Set(['IN', 'GB', 'US']) };
    const cases: [string, RegExp][] = [
      ['+44 909 879 0000', /premium-rate/],
      ['+1 900 555 0123', /premium-rate/],
      ['+91 1860 123 4567', /shared-cost/],
      ['+91 1800 123 4567', /toll-free/],
      ['+44 70 1234 5678', /personal-number/],
      ['+91 140 123 4567', /universal access/],
      ['+44 7640 123456', /pager/],
      ['+44 56 1234 5678', /VoIP/],
    ];
    for (const [raw, kind] of cases) {
      const err = refusal(raw, policy);
      assert.equal(err.code, 'number_not_allowed', raw);
      assert.match(err.message, kind, raw);
    }
  });
});

import { expect } from '@open-wc/testing';
import { checkPhoneShape, countryPrefix, toAsciiDigits } from '../../src/widget/phone-shape.js';
import { BUILT_IN_STRINGS, clock, fill, resolveStrings, waitTime } from '../../src/widget/strings.js';

describe('phone shape helpers', () => {
  it('reads digits of every script as 0-9', () => {
    expect(toAsciiDigits('९८७६५४३२१०')).to.equal('9876543210');
    expect(toAsciiDigits('٩٨٧٦٥٤٣٢١٠')).to.equal('9876543210');
    expect(toAsciiDigits('９８７６５４３２１０')).to.equal('9876543210');
    expect(toAsciiDigits('𝟗𝟖𝟕 𝟬𝟭')).to.equal('987 01');
    expect(toAsciiDigits('+91 (98) 765-43.210')).to.equal('+91 (98) 765-43.210');
  });

  it('accepts what people type for a phone number and answers it in ASCII', () => {
    expect(checkPhoneShape(' 98765 43210 ')).to.deep.equal({ ok: true, phone: '98765 43210' });
    expect(checkPhoneShape('+91 (987) 654-3210')).to.deep.equal({ ok: true, phone: '+91 (987) 654-3210' });
    expect(checkPhoneShape('0091 98765 43210')).to.deep.equal({ ok: true, phone: '0091 98765 43210' });
    expect(checkPhoneShape('०९८७६५ ४३२१०')).to.deep.equal({ ok: true, phone: '098765 43210' });
  });

  it('names what is wrong with a malformed number', () => {
    expect(checkPhoneShape('   ')).to.deep.equal({ ok: false, problem: 'empty' });
    expect(checkPhoneShape('98765 ext 1')).to.deep.equal({ ok: false, problem: 'characters' });
    expect(checkPhoneShape('98+765')).to.deep.equal({ ok: false, problem: 'characters' });
    expect(checkPhoneShape('012')).to.deep.equal({ ok: false, problem: 'length' });
    expect(checkPhoneShape('+91 9876')).to.deep.equal({ ok: false, problem: 'length' });
    expect(checkPhoneShape('+91 98765 43210 12345')).to.deep.equal({ ok: false, problem: 'length' });
  });

  it('shows a country’s calling code, or its ISO code where it does not know it', () => {
    expect(countryPrefix('IN')).to.equal('+91');
    expect(countryPrefix('ae')).to.equal('+971');
    expect(countryPrefix('US')).to.equal('+1');
    expect(countryPrefix('IS')).to.equal('IS');
    expect(countryPrefix('DE')).to.equal('DE');
    expect(countryPrefix('India')).to.equal('');
  });
});

describe('widget strings', () => {
  it('has every English string in Hindi too', () => {
    const keys = (o: object) => Object.keys(o).sort();
    expect(keys(BUILT_IN_STRINGS.hi)).to.deep.equal(keys(BUILT_IN_STRINGS.en));
    expect(keys(BUILT_IN_STRINGS.hi.states)).to.deep.equal(keys(BUILT_IN_STRINGS.en.states));
  });

  it('chooses Hindi for hi and hi-IN, English otherwise, and applies overrides state by state', () => {
    expect(resolveStrings('hi-IN').call).to.equal(BUILT_IN_STRINGS.hi.call);
    expect(resolveStrings('ta').call).to.equal(BUILT_IN_STRINGS.en.call);
    const custom = resolveStrings('en', { retry: 'Again', states: { busy: 'Busy!' } });
    expect(custom.retry).to.equal('Again');
    expect(custom.states.busy).to.equal('Busy!');
    expect(custom.states.completed).to.equal(BUILT_IN_STRINGS.en.states.completed);
  });

  it('fills placeholders and formats times', () => {
    expect(fill('Calling {phone} for {phone}', { phone: 'x' })).to.equal('Calling x for x');
    expect(fill('{missing}', {})).to.equal('{missing}');
    expect(clock(0)).to.equal('0:00');
    expect(clock(75.9)).to.equal('1:15');
    expect(waitTime(30, 'en')).to.equal('in 30 seconds');
    expect(waitTime(600, 'hi')).to.equal('10 मिनट में');
  });
});

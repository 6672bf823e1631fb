import { expect } from '@open-wc/testing';
import { countryPrefix } from '../../src/widget/countries/dial-codes.js';
import { checkPhoneShape, toAsciiDigits } from '../../src/widget/phone-shape.js';

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

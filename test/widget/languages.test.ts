import { expect } from '@open-wc/testing';
import { ENGLISH_STRINGS } from '../../src/widget/english.js';
import { countryName } from '../../src/widget/countries/names.js';
import { clock } from '../../src/widget/format.js';
import { LANGUAGES, languageOf, loadStrings } from '../../src/widget/language.js';
import { waitTime } from '../../src/widget/recovery/answers.js';
import { fill, withOverrides } from '../../src/widget/strings.js';
import { html, mount, part, text } from './helpers.js';

/** Every key of a texts object, nested ones as `states.busy`. */
const keys = (texts: object, prefix = ''): string[] =>
  Object.entries(texts)
    .flatMap(([key, value]) => (typeof value === 'object' ? keys(value, `${key}.`) : [`${prefix}${key}`]))
    .sort();

/** `{name}` placeholders of a text. */
const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort();

describe('the widget’s languages', () => {
  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    it(`${lang}: every English text, with the same placeholders, and none left in English`, async () => {
      const texts = await loadStrings(lang);
      expect(keys(texts)).to.deep.equal(keys(ENGLISH_STRINGS));
      for (const key of keys(ENGLISH_STRINGS)) {
        const [outer, inner] = key.split('.') as [keyof typeof texts, string?];
        const english = inner ? (ENGLISH_STRINGS[outer] as Record<string, string>)[inner]! : ENGLISH_STRINGS[outer];
        const translated = inner ? (texts[outer] as Record<string, string>)[inner]! : (texts[outer] as string);
        expect(placeholders(translated), `${lang} ${key}`).to.deep.equal(placeholders(english as string));
        expect(translated, `${lang} ${key} is translated`).not.to.equal(english);
      }
    });
  }

  it('chooses a language from a tag’s primary subtag, English for one it does not speak', () => {
    expect(languageOf('hi-IN')).to.equal('hi');
    expect(languageOf('TA')).to.equal('ta');
    expect(languageOf('mr_IN')).to.equal('mr');
    expect(languageOf('fr')).to.equal('en');
    expect(languageOf('')).to.equal('en');
  });

  it('applies overrides over a language, a state at a time', () => {
    const custom = withOverrides(ENGLISH_STRINGS, { retry: 'Again', states: { busy: 'Busy!' } });
    expect(custom.retry).to.equal('Again');
    expect(custom.states.busy).to.equal('Busy!');
    expect(custom.states.completed).to.equal(ENGLISH_STRINGS.states.completed);
  });

  it('fills placeholders, and leaves unknown ones', () => {
    expect(fill('Calling {phone} for {phone}', { phone: 'x' })).to.equal('Calling x for x');
    expect(fill('{missing}', {})).to.equal('{missing}');
  });

  it('writes times, waits and country names the way each language does', () => {
    expect(clock(0)).to.equal('0:00');
    expect(clock(75.9)).to.equal('1:15');
    expect(clock(75, 'mr')).to.equal('१:१५');
    expect(clock(75, 'bn')).to.equal('১:১৫');
    expect(waitTime(30, 'en')).to.equal('in 30 seconds');
    expect(waitTime(600, 'hi')).to.equal('10 मिनट में');
    expect(waitTime(30, 'mr')).to.match(/^३० /);
    expect(countryName('in', 'en')).to.equal('India');
    expect(countryName('IN', 'ta')).to.equal('இந்தியா');
    expect(countryName('XX1', 'en')).to.equal('XX1');
  });
});

describe('<mt-click-to-call> in each language', () => {
  const LABELS: Record<string, [string, string]> = {
    hi: ['आपका फ़ोन नंबर', 'मुझे कॉल करें'],
    bn: ['আপনার ফোন নম্বর', 'আমাকে কল করুন'],
    mr: ['तुमचा फोन नंबर', 'मला कॉल करा'],
    ta: ['உங்கள் தொலைபேசி எண்', 'என்னை அழையுங்கள்'],
    te: ['మీ ఫోన్ నంబర్', 'నాకు కాల్ చేయండి'],
  };

  for (const [lang, [label, call]] of Object.entries(LABELS)) {
    it(`speaks ${lang} when its lang says so, the country’s name in its words`, async () => {
      const el = await mount(html`<mt-click-to-call lang=${lang}></mt-click-to-call>`);
      expect(text(el, 'label')).to.equal(label);
      expect(text(el, 'button')).to.equal(call);
      expect(text(el, 'hint')).to.include(countryName('IN', lang));
      await expect(el).shadowDom.to.be.accessible();
    });
  }

  it('takes the nearest ancestor’s or the page’s language, English for one it does not speak', async () => {
    const inherited = await mount(html`<div lang="bn-IN"><mt-click-to-call></mt-click-to-call></div>`);
    expect(text(inherited, 'button')).to.equal('আমাকে কল করুন');
    const french = await mount(html`<div lang="fr"><mt-click-to-call></mt-click-to-call></div>`);
    expect(text(french, 'button')).to.equal('Call me');
    expect(text(french, 'hint'), 'English words throughout').to.include('India');
    const before = document.documentElement.lang;
    document.documentElement.lang = 'te';
    try {
      const page = await mount(html`<mt-click-to-call></mt-click-to-call>`);
      expect(text(page, 'button')).to.equal('నాకు కాల్ చేయండి');
    } finally {
      document.documentElement.lang = before;
    }
  });

  it('re-renders when its language changes', async () => {
    const el = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    el.lang = 'ta';
    await el.updateComplete;
    expect(text(el, 'button')).to.equal('என்னை அழையுங்கள்');
    expect(part(el, 'form')!.inert, 'shown once its texts are here').to.be.false;
  });
});

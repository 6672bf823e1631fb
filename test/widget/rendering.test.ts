import { expect } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { html, mount, part, text, typeNumber } from './helpers.js';

describe('<mt-click-to-call> rendering', () => {
  afterEach(async () => {
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
  });

  it('renders a labelled phone field, the country and a Call button, each a part', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c" target="sales" country="IN"></mt-click-to-call>`);
    for (const name of ['form', 'label', 'country', 'input', 'button', 'status']) expect(part(el, name), name).to.exist;
    const input = part<HTMLInputElement>(el, 'input')!;
    expect(input.type).to.equal('tel');
    expect(input.getAttribute('inputmode')).to.equal('tel');
    expect(input.getAttribute('autocomplete')).to.equal('tel');
    expect(part<HTMLLabelElement>(el, 'label')!.htmlFor).to.equal(input.id);
    expect(text(el, 'country')).to.equal('+91');
    expect(input.getAttribute('aria-describedby')).to.include('country');
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    expect(text(el, 'button')).to.equal('Call me');
    expect(part(el, 'retry')).to.be.null;
    expect(part(el, 'consent')).to.be.null;
    expect(part(el, 'error')).to.be.null;
  });

  it('reflects its state and has the documented defaults', async () => {
    const el = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.state).to.equal('idle');
    expect(el.endpoint).to.equal('/c2c');
    expect(el.country).to.equal('IN');
    expect(el.callId).to.be.undefined;
  });

  it('reads its attributes into properties and reflects disabled', async () => {
    const el = await mount(
      html`<mt-click-to-call
        endpoint="https://relay.example/c2c"
        target="otp-ivr"
        country="ae"
        phone="050 123 4567"
        consent="Call me about my order"
      ></mt-click-to-call>`,
    );
    expect(el.endpoint).to.equal('https://relay.example/c2c');
    expect(el.target).to.equal('otp-ivr');
    expect(part<HTMLInputElement>(el, 'input')!.value).to.equal('050 123 4567');
    expect(text(el, 'country')).to.equal('+971');
    expect(text(el, 'consent')).to.equal('Call me about my order');
    el.disabled = true;
    await el.updateComplete;
    expect(el.hasAttribute('disabled')).to.be.true;
    expect(part<HTMLInputElement>(el, 'input')!.disabled).to.be.true;
    expect(part<HTMLButtonElement>(el, 'button')!.disabled).to.be.true;
    el.setAttribute('phone', '+91 98765 43210');
    await el.updateComplete;
    expect(part<HTMLInputElement>(el, 'input')!.value).to.equal('+91 98765 43210');
  });

  it('speaks Hindi when its own or an ancestor’s lang says so', async () => {
    const own = await mount(html`<mt-click-to-call lang="hi"></mt-click-to-call>`);
    expect(text(own, 'label')).to.equal('आपका फ़ोन नंबर');
    expect(text(own, 'button')).to.equal('मुझे कॉल करें');
    expect(text(own, 'country')).to.equal('+91');
    const inherited = await mount(html`<div lang="hi-IN"><mt-click-to-call></mt-click-to-call></div>`);
    expect(text(inherited, 'button')).to.equal('मुझे कॉल करें');
    const english = await mount(html`<div lang="fr"><mt-click-to-call></mt-click-to-call></div>`);
    expect(text(english, 'button')).to.equal('Call me');
    english.lang = 'hi';
    await english.updateComplete;
    expect(text(english, 'button'), 'a change of lang re-renders').to.equal('मुझे कॉल करें');
  });

  it('lets the host override any text', async () => {
    const el = await mount(
      html`<mt-click-to-call
        .strings=${{ call: 'Ring me', label: 'Mobile', states: { busy: 'Line busy' } }}
      ></mt-click-to-call>`,
    );
    expect(text(el, 'button')).to.equal('Ring me');
    expect(text(el, 'label')).to.equal('Mobile');
  });

  it('takes its colours from --mt-c2c-* custom properties and ::part rules', async () => {
    const el = await mount(
      html`<div>
        <style>
          .themed {
            --mt-c2c-accent: rgb(200, 0, 100);
            --mt-c2c-radius: 0px;
          }
          .themed::part(label) {
            text-transform: uppercase;
          }
        </style>
        <mt-click-to-call class="themed"></mt-click-to-call>
      </div>`,
    );
    const button = getComputedStyle(part(el, 'button')!);
    expect(button.backgroundColor).to.equal('rgb(200, 0, 100)');
    expect(button.borderTopLeftRadius).to.equal('0px');
    expect(getComputedStyle(part(el, 'label')!).textTransform).to.equal('uppercase');
  });

  it('follows a dark colour scheme and stays accessible in it', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    expect(getComputedStyle(part(el, 'form')!).backgroundColor).to.equal('rgb(22, 27, 34)');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('has nothing that moves, so prefers-reduced-motion has nothing to stop', async () => {
    const el = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    await typeNumber(el, '98765 43210');
    const styles = [...el.shadowRoot!.adoptedStyleSheets]
      .flatMap((sheet) => [...sheet.cssRules].map((rule) => rule.cssText))
      .join('\n');
    expect(styles).not.to.match(/animation|@keyframes|transition/);
  });

  it('fits a 320 px wide phone screen', async () => {
    await setViewport({ width: 320, height: 640 });
    try {
      const el = await mount(
        html`<mt-click-to-call consent="I agree to be called about my enquiry"></mt-click-to-call>`,
      );
      expect(el.getBoundingClientRect().right).to.be.at.most(320);
      for (const name of ['input', 'button', 'consent']) {
        expect(part(el, name)!.getBoundingClientRect().right, name).to.be.at.most(320);
      }
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('is checked by axe for real: a low-contrast theme fails', async () => {
    const el = await mount(
      html`<mt-click-to-call style="--mt-c2c-text-color: #d0d0d0; --mt-c2c-background: #ffffff"></mt-click-to-call>`,
    );
    await expect(el).shadowDom.not.to.be.accessible();
  });

  it('is accessible when idle, with consent, and disabled', async () => {
    await expect(await mount(html`<mt-click-to-call></mt-click-to-call>`)).shadowDom.to.be.accessible();
    await expect(
      await mount(html`<mt-click-to-call consent="I agree to be called"></mt-click-to-call>`),
    ).shadowDom.to.be.accessible();
    await expect(await mount(html`<mt-click-to-call disabled></mt-click-to-call>`)).shadowDom.to.be.accessible();
  });
});

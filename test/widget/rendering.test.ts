import { expect, waitUntil } from '@open-wc/testing';
import { html, mount, part, text } from './helpers.js';

describe('<mt-click-to-call> rendering', () => {
  it('renders a labelled phone field in its box, the country, a hint and a Call button, each a part', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c" target="sales" country="IN"></mt-click-to-call>`);
    for (const name of ['form', 'label', 'field', 'country', 'input', 'hint', 'button', 'status'])
      expect(part(el, name), name).to.exist;
    const input = part<HTMLInputElement>(el, 'input')!;
    expect(part(el, 'field')!.contains(input), 'the box holds the input').to.be.true;
    expect(input.type).to.equal('tel');
    expect(input.getAttribute('inputmode')).to.equal('tel');
    expect(input.getAttribute('autocomplete')).to.equal('tel');
    expect(part<HTMLLabelElement>(el, 'label')!.htmlFor).to.equal(input.id);
    expect(text(el, 'country')).to.equal('+91');
    expect(text(el, 'hint')).to.equal('For a number outside India, start with + and the country code.');
    expect(input.getAttribute('aria-describedby')).to.equal(part(el, 'hint')!.id);
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    expect(text(el, 'button')).to.equal('Call me');
    expect(part(el, 'button')!.querySelector('[part~=icon]'), 'a phone icon on Call').to.exist;
    for (const absent of ['retry', 'consent', 'error', 'fallback', 'launcher', 'dialog'])
      expect(part(el, absent), absent).to.be.null;
  });

  it('reflects its state and has the documented defaults', async () => {
    const el = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.state).to.equal('idle');
    expect(el.endpoint).to.equal('/c2c');
    expect(el.country).to.equal('IN');
    expect(el.callId).to.be.undefined;
    expect(el.hasAttribute('theme'), 'light unless asked').to.be.false;
  });

  it('reads its attributes into properties and reflects disabled', async () => {
    const el = await mount(
      html`<mt-click-to-call
        endpoint="https://relay.example/c2c"
        target="otp-ivr"
        country="ae"
        phone="050 123 4567"
        consent="Call me about my order"
        fallback-tel="+91 80 4600 0100"
      ></mt-click-to-call>`,
    );
    expect(el.endpoint).to.equal('https://relay.example/c2c');
    expect(el.target).to.equal('otp-ivr');
    expect(el.fallbackTel).to.equal('+91 80 4600 0100');
    expect(part<HTMLInputElement>(el, 'input')!.value).to.equal('050 123 4567');
    expect(text(el, 'country')).to.equal('+971');
    await waitUntil(() => text(el, 'hint').includes('United Arab Emirates'), 'a name the browser looks up when idle');
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

  it('takes its two most edited texts from label and button-label, over any language', async () => {
    const el = await mount(
      html`<mt-click-to-call lang="hi" label="Mobile number" button-label="Ring me back"></mt-click-to-call>`,
    );
    expect(text(el, 'label')).to.equal('Mobile number');
    expect(text(el, 'button')).to.equal('Ring me back');
    expect(el.buttonLabel).to.equal('Ring me back');
    el.removeAttribute('button-label');
    await el.updateComplete;
    expect(text(el, 'button')).to.equal('मुझे कॉल करें');
  });

  it('lets the host override any text', async () => {
    const el = await mount(
      html`<mt-click-to-call
        .strings=${{ call: 'Ring me', label: 'Mobile', hint: 'Indian numbers only', states: { busy: 'Line busy' } }}
      ></mt-click-to-call>`,
    );
    expect(text(el, 'button')).to.equal('Ring me');
    expect(text(el, 'label')).to.equal('Mobile');
    expect(text(el, 'hint')).to.equal('Indian numbers only');
  });

  it('puts the consent box before the Call button, on screen and in the tab order', async () => {
    const el = await mount(html`<mt-click-to-call consent="I agree to be called"></mt-click-to-call>`);
    const box = el.shadowRoot!.querySelector('[part=consent] input')!;
    const button = part(el, 'button')!;
    expect(box.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING, 'in the page').to.be.greaterThan(0);
    expect(box.getBoundingClientRect().bottom, 'on screen').to.be.at.most(button.getBoundingClientRect().top);
    const focusable = [...el.shadowRoot!.querySelectorAll<HTMLElement>('input, button')].filter((e) => e.tabIndex >= 0);
    expect(focusable.map((e) => e.getAttribute('part') ?? (e as HTMLInputElement).type)).to.deep.equal([
      'input',
      'checkbox',
      'button',
    ]);
  });

  it('puts a human check before the Call button too', async () => {
    const el = await mount(
      html`<mt-click-to-call
        ><div slot="human-check"><button type="button">I am human</button></div></mt-click-to-call
      >`,
    );
    const check = el.querySelector('[slot=human-check] button')!;
    expect(check.getBoundingClientRect().bottom).to.be.at.most(part(el, 'button')!.getBoundingClientRect().top);
  });

  it('is accessible when idle, with consent, and disabled', async () => {
    await expect(await mount(html`<mt-click-to-call></mt-click-to-call>`)).shadowDom.to.be.accessible();
    await expect(
      await mount(html`<mt-click-to-call consent="I agree to be called"></mt-click-to-call>`),
    ).shadowDom.to.be.accessible();
    await expect(await mount(html`<mt-click-to-call disabled></mt-click-to-call>`)).shadowDom.to.be.accessible();
  });

  it('is checked by axe for real: a low-contrast theme fails', async () => {
    const el = await mount(
      html`<mt-click-to-call style="--mt-c2c-text-color: #d0d0d0; --mt-c2c-background: #ffffff"></mt-click-to-call>`,
    );
    await expect(el).shadowDom.not.to.be.accessible();
  });
});

import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MtClickToCall } from '../../src/widget/index.js';
import { freshNumber, html, mount, nextEvent, part, pressCall, text, typeNumber, until } from './helpers.js';

// Verifying a number by a spoken code, against the relay in front of the sandbox: `otp`
// speaks a six-digit code; `gated` calls only numbers verified with it.

/** A widget that has asked to be rung with a code, its number, and the code field once shown. */
async function askForCode(
  template = html`<mt-click-to-call endpoint="/c2c" verify="otp" target="gated"></mt-click-to-call>`,
) {
  const el = await mount(template);
  const number = freshNumber();
  await typeNumber(el, number);
  await pressCall(el);
  await waitUntil(() => part(el, 'code'), 'the code field is shown', { timeout: 5000 });
  return { el, number, field: part<HTMLInputElement>(el, 'code')! };
}

/** The code the sandbox's flow spoke to a number. */
async function spokenCode(number: string): Promise<string> {
  let spoken: { variables: { otp: string } } | null = null;
  await waitUntil(
    async () => (spoken = (await (await fetch(`/__spoken?to=91${number}`)).json()).spoken),
    'the sandbox spoke a code',
    { timeout: 5000 },
  );
  return spoken!.variables.otp;
}

/** Types (or pastes) into the code field as a visitor would. */
async function enter(el: MtClickToCall, field: HTMLInputElement, value: string): Promise<void> {
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
}

describe('<mt-click-to-call verify>', () => {
  it('rings the visitor with a code, offers a field made for it, and says so', async () => {
    const { el, field } = await askForCode();
    expect(text(el, 'status')).to.match(/^We are calling \+91 \d\d••• ••\d\d\d to say a code\.$/);
    expect(field.getAttribute('autocomplete')).to.equal('one-time-code');
    expect(field.getAttribute('inputmode')).to.equal('numeric');
    expect(el.shadowRoot!.activeElement, 'the focus moves to the code').to.equal(field);
    expect(el.shadowRoot!.querySelector('label[for=code]')!.textContent!.trim()).to.equal(
      'Code from the call (6 digits)',
    );
    expect(el.state, 'no call yet').to.equal('idle');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('a whole code pasted, spaced as spoken, verifies the number: mt-verified, then the call carries the token', async () => {
    const { el, number, field } = await askForCode();
    const code = await spokenCode(number);
    const verified = nextEvent(el, 'mt-verified');
    await enter(el, field, `${code.slice(0, 3)} ${code.slice(3)}`);
    const { token } = await verified;
    expect(token).to.be.a('string').and.not.include(code);
    // The gated target calls only a number verified with this very token.
    await until(el, 'completed');
    expect(part(el, 'code'), 'the code field is gone').to.be.null;
  });

  it('a wrong code says how many tries are left, by the field', async () => {
    const { el, number, field } = await askForCode();
    const code = await spokenCode(number);
    await enter(el, field, code === '000000' ? '11111' : '00000');
    field.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => part(el, 'error'), 'the error is shown');
    expect(text(el, 'error')).to.equal('That code is not right. Tries left: 4.');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(field.getAttribute('aria-describedby')).to.equal('code-error');
    expect(el.state).to.equal('idle');
  });

  it('an expired code says so, and offers a new one once the last call has had its time', async () => {
    const { el, number, field } = await askForCode();
    const code = await spokenCode(number);
    const resend = () => el.shadowRoot!.querySelector<HTMLButtonElement>('.link')!;
    expect(resend().textContent!.trim()).to.equal('Call me again with a new code');
    expect(resend().disabled, 'not before the call has had its time').to.be.true;
    await fetch('/__clock?advance=660000');
    try {
      await enter(el, field, code);
      await waitUntil(() => text(el, 'status') === 'This code has expired.', text(el, 'status'));
    } finally {
      await fetch('/__clock?advance=-660000');
    }
    expect(part(el, 'code')).to.be.null;
    expect(resend()).to.exist;
  });

  it('without a target, only verifies: mt-verified, and no call', async () => {
    const { el, number, field } = await askForCode(
      html`<mt-click-to-call endpoint="/c2c" verify="otp"></mt-click-to-call>`,
    );
    const started: Event[] = [];
    el.addEventListener('mt-call-request', (event) => started.push(event));
    const verified = nextEvent(el, 'mt-verified');
    await enter(el, field, await spokenCode(number));
    expect((await verified).token).to.be.a('string');
    await waitUntil(() => text(el, 'status') === 'Your number is verified.', text(el, 'status'));
    expect(el.state).to.equal('idle');
    expect(started).to.deep.equal([]);
  });
});

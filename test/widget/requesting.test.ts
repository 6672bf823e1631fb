import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MtCallInitiatedEvent, MtCallRequestEvent, MtCallStateEvent } from '../../src/widget/index.js';
import {
  freshNumber,
  html,
  mount,
  nextEvent,
  part,
  pressCall,
  recordEvents,
  sandboxRequests,
  text,
  typeNumber,
  until,
} from './helpers.js';

describe('<mt-click-to-call> asking the relay for a call', () => {
  it('checks the number’s shape before asking, and says what is wrong by the field', async () => {
    const el = await mount(html`<mt-click-to-call target="sales"></mt-click-to-call>`);
    const events = recordEvents(el);
    const cases: [string, RegExp][] = [
      ['', /Enter your phone number/],
      ['call me', /This is not a valid phone number/],
      ['123', /Check the digits/],
      ['+91 98765 43210 99999', /Check the digits/],
      ['+91 987', /Check the digits/],
    ];
    for (const [typed, message] of cases) {
      await typeNumber(el, typed);
      await pressCall(el);
      expect(text(el, 'error'), typed).to.match(message);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      expect(part(el, 'input')!.getAttribute('aria-invalid')).to.equal('true');
      expect(part(el, 'input')!.getAttribute('aria-describedby')).to.include('phone-error');
      await expect(el).shadowDom.to.be.accessible();
    }
    await typeNumber(el, '9');
    expect(part(el, 'error'), 'typing clears the error').to.be.null;
    expect(events, 'no request for a malformed number').to.have.length(0);
  });

  it('fires request, initiated and state in order, with their details, then shows the ringing phone', async () => {
    const el = await mount(html`<mt-click-to-call target="otp-ivr" .variables=${{ Name: 'Asha' }}></mt-click-to-call>`);
    const events = recordEvents(el);
    const number = freshNumber();
    await typeNumber(
      el,
      `०${number}`.replace(/\d/g, (d) => String.fromCharCode(0x966 + Number(d))),
    );
    await pressCall(el);
    expect(el.state).to.equal('submitting');
    expect(el.getAttribute('state')).to.equal('submitting');
    expect(text(el, 'status')).to.equal('Connecting…');
    expect(part(el, 'button')!.getAttribute('aria-disabled')).to.equal('true');
    await until(el, 'initiated');

    expect(events.map((e) => e.type)).to.deep.equal(['mt-call-request', 'mt-call-initiated', 'mt-call-state']);
    const request = events[0] as MtCallRequestEvent;
    expect(request.phone).to.equal(`0${number}`);
    expect(request.targetName).to.equal('otp-ivr');
    expect(request.variables).to.deep.equal({ Name: 'Asha' });
    expect(request.bubbles && request.composed && request.cancelable).to.be.true;
    const initiated = events[1] as MtCallInitiatedEvent;
    expect(initiated.callId).to.match(/^[0-9a-f-]{36}$/);
    expect(initiated.phone).to.equal(`+91 ${number.slice(0, 2)}••• ••${number.slice(-3)}`);
    expect(initiated.bubbles && initiated.composed).to.be.true;
    const state = events[2] as MtCallStateEvent;
    expect(state.state).to.equal('initiated');
    expect(state.callId).to.equal(initiated.callId);
    expect(el.callId).to.equal(initiated.callId);

    expect(text(el, 'status')).to.equal(`Calling ${initiated.phone} now. Please answer.`);
    expect(el.shadowRoot!.querySelector('[role=timer]')!.textContent).to.match(/^0:0\d$/);
    const sent = (await sandboxRequests()).find((r) => r.mid === initiated.callId)!;
    expect(sent.from).to.equal(`91${number}`);
    expect(sent['variables[Name]']).to.equal('Asha');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('lets the host cancel the call or add variables in mt-call-request', async () => {
    const el = await mount(html`<mt-click-to-call target="otp-ivr"></mt-click-to-call>`);
    await typeNumber(el, freshNumber());
    el.addEventListener('mt-call-request', (e) => e.preventDefault(), { once: true });
    await pressCall(el);
    expect(el.state).to.equal('idle');

    el.addEventListener('mt-call-request', (e) => {
      e.variables = { ...e.variables, otp: '4321' };
    });
    const initiated = nextEvent(el, 'mt-call-initiated');
    await pressCall(el);
    const { callId } = await initiated;
    const sent = (await sandboxRequests()).find((r) => r.mid === callId)!;
    expect(sent['variables[otp]']).to.equal('4321');
  });

  it('submits with Enter from the phone field', async () => {
    const el = await mount(html`<mt-click-to-call target="sales"></mt-click-to-call>`);
    part(el, 'input')!.focus();
    await sendKeys({ type: freshNumber() });
    const requested = nextEvent(el, 'mt-call-request');
    const initiated = nextEvent(el, 'mt-call-initiated');
    await sendKeys({ press: 'Enter' });
    await requested;
    await initiated;
  });

  it('starts one call however often Call is pressed', async () => {
    const el = await mount(html`<mt-click-to-call target="sales"></mt-click-to-call>`);
    const events = recordEvents(el);
    const number = freshNumber('0007'); // no report ever comes: the call stays initiated
    await typeNumber(el, number);
    for (let i = 0; i < 5; i++) part(el, 'button')!.click();
    el.call();
    await until(el, 'initiated');
    for (let i = 0; i < 3; i++) part(el, 'button')!.click();
    await el.updateComplete;
    expect(el.state).to.equal('initiated');
    expect(events.filter((e) => e.type === 'mt-call-request').length).to.equal(1);
    expect((await sandboxRequests()).filter((r) => r.from === `91${number}`).length).to.equal(1);
    expect(part<HTMLInputElement>(el, 'input')!.readOnly, 'the number cannot change mid-call').to.be.true;
  });

  it('requires the consent box when there is one', async () => {
    const el = await mount(
      html`<mt-click-to-call target="consented" consent="I agree to be called"></mt-click-to-call>`,
    );
    const events = recordEvents(el);
    await typeNumber(el, freshNumber());
    await pressCall(el);
    expect(events).to.have.length(0);
    expect(text(el, 'error')).to.equal('Tick the box to agree to be called.');
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('[part=consent] input')!;
    expect(box.getAttribute('aria-invalid')).to.equal('true');
    expect(box.getAttribute('aria-required'), 'announced as required').to.equal('true');
    await expect(el).shadowDom.to.be.accessible();
    box.click();
    await el.updateComplete;
    expect(part(el, 'error')).to.be.null;
    await pressCall(el);
    await until(el, 'initiated');
  });

  it('shows the relay’s verdict on the number by the field', async () => {
    const el = await mount(html`<mt-click-to-call target="sales"></mt-click-to-call>`);
    const error = nextEvent(el, 'mt-call-error');
    await typeNumber(el, '+91 55555 55555');
    await pressCall(el);
    const event = await error;
    expect(event.code).to.equal('invalid_phone');
    expect(event.field).to.equal('phone');
    expect(el.state).to.equal('error');
    expect(text(el, 'error')).to.equal('This is not a valid phone number.');
    expect(part(el, 'input')!.getAttribute('aria-invalid')).to.equal('true');
    expect(part(el, 'retry'), 'fix the field rather than retry').to.be.null;

    await typeNumber(el, '+91 1800 123 4567'); // toll-free: not a visitor's number
    await pressCall(el);
    await waitUntil(() => text(el, 'error') === 'We cannot call this number. Try a mobile or landline.');
  });

  it('reads Hindi errors when the page is in Hindi', async () => {
    const el = await mount(html`<mt-click-to-call lang="hi" target="sales"></mt-click-to-call>`);
    await pressCall(el);
    expect(text(el, 'error')).to.equal('अपना फ़ोन नंबर लिखें।');
    await typeNumber(el, '+91 55555 55555');
    await pressCall(el);
    await waitUntil(() => text(el, 'error') === 'यह सही फ़ोन नंबर नहीं है।');
  });

  it('keeps two widgets on one page apart', async () => {
    const root = await mount(
      html`<div>
        <mt-click-to-call id="a" target="sales"></mt-click-to-call>
        <mt-click-to-call id="b" target="sales"></mt-click-to-call>
      </div>`,
    );
    const a = root.parentElement!.querySelector<typeof root>('#a')!;
    const b = root.parentElement!.querySelector<typeof root>('#b')!;
    const bEvents = recordEvents(b);
    await typeNumber(a, freshNumber());
    await pressCall(a);
    await until(a, 'initiated');
    expect(b.state).to.equal('idle');
    expect(bEvents).to.have.length(0);
    await typeNumber(b, freshNumber());
    await pressCall(b);
    await until(b, 'initiated');
    expect(b.callId).to.not.equal(a.callId);
    expect(text(a, 'status')).to.include(a.shadowRoot!.querySelector('[part=status]')!.textContent!.slice(8, 14));
  });
});

describe('<mt-click-to-call> when the call cannot start', () => {
  async function failWith(endpoint: string, phone = freshNumber()) {
    const el = await mount(html`<mt-click-to-call endpoint=${endpoint} target="sales"></mt-click-to-call>`);
    const error = nextEvent(el, 'mt-call-error');
    await typeNumber(el, phone);
    await pressCall(el);
    const event = await error;
    await el.updateComplete;
    return { el, event };
  }

  it('says when the relay cannot be reached, and offers a retry', async () => {
    const { el, event } = await failWith('http://127.0.0.1:9/c2c');
    expect(event.code).to.equal('network');
    expect(el.getAttribute('state')).to.equal('error');
    expect(text(el, 'status')).to.equal('Could not reach the call service. Are you online?');
    expect(text(el, 'retry')).to.equal('Try again');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('says when Mobtexting timed out', async () => {
    const { el, event } = await failWith('/c2c-slow');
    expect(event.code).to.equal('upstream_timeout');
    expect(text(el, 'status')).to.equal('The call service took too long to answer.');
    expect(part(el, 'retry')).to.exist;
  });

  it('says when Mobtexting failed, and retries on request', async () => {
    const { el, event } = await failWith('/c2c', '98765 40006');
    expect(event.code).to.equal('upstream_error');
    expect(text(el, 'status')).to.equal('The call service is unavailable right now.');
    const again = nextEvent(el, 'mt-call-request');
    part(el, 'retry')!.click();
    await again;
    expect(el.shadowRoot!.activeElement, 'the focus stays in the widget, on Call').to.equal(part(el, 'button'));
  });

  it('says when to try again after a rate limit, and only then allows it', async () => {
    const { el, event } = await failWith('/c2c-limited');
    expect(event.code).to.equal('rate_limited');
    expect(event.retryAfter).to.equal(30);
    expect(text(el, 'status')).to.equal('Too many calls. Try again in 30 seconds.');
    expect(part<HTMLButtonElement>(el, 'retry')!.disabled).to.be.true;
    await expect(el).shadowDom.to.be.accessible();
  });

  it('words the wait in English when the page’s lang is no language tag', async () => {
    const el = await mount(
      html`<div lang="en_US"><mt-click-to-call endpoint="/c2c-limited" target="sales"></mt-click-to-call></div>`,
    );
    const error = nextEvent(el, 'mt-call-error');
    await typeNumber(el, freshNumber());
    await pressCall(el);
    await error;
    await el.updateComplete;
    expect(text(el, 'status')).to.equal('Too many calls. Try again in 30 seconds.');
  });

  it('aborts its request when removed from the page', async () => {
    const signals: AbortSignal[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return realFetch(input, init);
    };
    try {
      const el = await mount(html`<mt-click-to-call endpoint="/c2c-slow" target="sales"></mt-click-to-call>`);
      const events = recordEvents(el);
      await typeNumber(el, freshNumber());
      await pressCall(el);
      expect(signals).to.have.length(1);
      el.remove();
      expect(signals[0]!.aborted).to.be.true;
      await new Promise((r) => setTimeout(r, 500));
      expect(
        events.map((e) => e.type),
        'nothing fires after removal',
      ).to.deep.equal(['mt-call-request']);
    } finally {
      window.fetch = realFetch;
    }
  });
});

describe('<mt-click-to-call> with the relay’s defences', () => {
  it('does not follow a call someone else started to the same number', async () => {
    const number = freshNumber('0001');
    const first = await mount(html`<mt-click-to-call endpoint="/c2c-later" target="sales"></mt-click-to-call>`);
    await typeNumber(first, number);
    await pressCall(first);
    await until(first, 'initiated');
    const second = await mount(html`<mt-click-to-call endpoint="/c2c-later" target="sales"></mt-click-to-call>`);
    const events = recordEvents(second);
    await typeNumber(second, number);
    await pressCall(second);
    await until(second, 'error');
    expect(second.callId).to.be.undefined;
    expect(text(second, 'status')).to.equal('A call to this number is already under way.');
    expect(part(second, 'retry'), 'once that call ends, trying again may work').to.exist;
    await until(first, 'busy');
    expect(second.state, 'the other call’s end is not shown here').to.equal('error');
    expect(events.map((e) => e.type)).to.deep.equal(['mt-call-request', 'mt-call-error']);
    expect((await sandboxRequests()).filter((r) => r.from === `91${number}`)).to.have.length(1);
  });

  it('sends the token of the human check in its slot', async () => {
    const el = await mount(
      html`<mt-click-to-call endpoint="/c2c-human" target="sales">
        <div slot="human-check"><input type="hidden" name="cf-turnstile-response" value="human-ok" /></div>
      </mt-click-to-call>`,
    );
    await typeNumber(el, freshNumber());
    await pressCall(el);
    await until(el, 'initiated');
  });

  it('says when the human check was not passed, and takes a token set by script', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-human" target="sales"></mt-click-to-call>`);
    await typeNumber(el, freshNumber());
    const refused = nextEvent(el, 'mt-call-error');
    await pressCall(el);
    expect((await refused).code).to.equal('human_check_failed');
    await el.updateComplete;
    expect(text(el, 'status')).to.equal('Please confirm you are not a robot.');
    el.humanToken = 'human-ok';
    part(el, 'retry')!.click();
    await until(el, 'initiated');
  });
});

import { expect, waitUntil } from '@open-wc/testing';
import type { MtClickToCall } from '../../src/widget/index.js';
import {
  freshNumber,
  html,
  mount,
  nextEvent,
  part,
  pressCall,
  recordEvents,
  text,
  typeNumber,
  until,
} from './helpers.js';

/** Records what widgets say to the console's warnings while `run` runs. */
async function warnings(run: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const real = console.warn;
  console.warn = (...args: unknown[]) => said.push(args.map(String).join(' '));
  try {
    await run();
  } finally {
    console.warn = real;
  }
  return said;
}

/** Types a number into a widget, presses Call and waits for the refusal. */
async function refused(el: MtClickToCall, number = freshNumber()) {
  const error = nextEvent(el, 'mt-call-error');
  await typeNumber(el, number);
  await pressCall(el);
  const event = await error;
  await el.updateComplete;
  return event;
}

/** Asks the relay at /c2c for a call directly, as the widget would have before a reload. */
async function placeCall(number: string): Promise<string> {
  const response = await fetch('/c2c/calls', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ phone: number, target: 'sales' }),
  });
  return ((await response.json()) as { callId: string }).callId;
}

const keep = (key: string, callId: string, at = Date.now()) =>
  sessionStorage.setItem(`mt-click-to-call:${key}`, JSON.stringify({ callId, at }));

describe('<mt-click-to-call> when no report comes', () => {
  it('stops asking to answer once the ringing time has passed, and offers Try again when the relay gives up', async () => {
    const callId = await placeCall(`+91 ${freshNumber('0007')}`);
    keep('/c2c late', callId, Date.now() - 88_500);
    const el = await mount(html`<mt-click-to-call id="late" target="sales"></mt-click-to-call>`);
    await until(el, 'initiated');
    expect(text(el, 'status')).to.match(/Please answer\.$/);
    expect(el.shadowRoot!.querySelector('[role=timer]')!.textContent).to.match(/^1:2\d$/);
    await waitUntil(() => text(el, 'status') === 'Your call is under way, or its result is late.', 'late', {
      timeout: 4000,
    });
    expect(el.shadowRoot!.querySelector('[role=timer]'), 'no clock ticking on').to.be.null;
    expect(part(el, 'retry'), 'the number is still held').to.be.null;
    await fetch('/__clock?advance=7200000');
    try {
      await until(el, 'unknown');
      expect(text(el, 'status')).to.equal('We do not know how the call went.');
      expect(part(el, 'retry')).to.exist;
    } finally {
      await fetch('/__clock?advance=-7200000');
    }
  });
});

describe('<mt-click-to-call> after a reload', () => {
  it('picks up its own call again and follows it to its end, then forgets it', async () => {
    const first = await mount(
      html`<mt-click-to-call id="mine" endpoint="/c2c-later" target="sales"></mt-click-to-call>`,
    );
    await typeNumber(first, freshNumber('0002'));
    await pressCall(first);
    await until(first, 'initiated');
    const callId = first.callId;
    first.remove(); // the page goes away…
    const again = await mount(
      html`<mt-click-to-call id="mine" endpoint="/c2c-later" target="sales"></mt-click-to-call>`,
    );
    const events = recordEvents(again);
    await until(again, 'initiated');
    expect(again.callId).to.equal(callId);
    await until(again, 'no-answer');
    expect(events.map((e) => e.type)).to.deep.equal(['mt-call-state', 'mt-call-state', 'mt-call-end']);
    expect(sessionStorage.getItem('mt-click-to-call:/c2c-later mine'), 'forgotten once ended').to.be.null;
  });

  it('keeps two widgets’ calls apart', async () => {
    const first = await mount(
      html`<div>
        <mt-click-to-call target="sales"></mt-click-to-call>
        <mt-click-to-call target="sales"></mt-click-to-call>
      </div>`,
    );
    const page = first.parentElement!;
    const [a, b] = [...page.querySelectorAll('mt-click-to-call')];
    for (const widget of [a!, b!]) {
      await typeNumber(widget, freshNumber('0007'));
      await pressCall(widget);
      await until(widget, 'initiated');
    }
    const ids = [a!.callId, b!.callId];
    page.innerHTML = '<mt-click-to-call target="sales"></mt-click-to-call>'.repeat(2); // …and loads again
    const [a2, b2] = [...page.querySelectorAll('mt-click-to-call')];
    await until(a2!, 'initiated');
    await until(b2!, 'initiated');
    expect([a2!.callId, b2!.callId]).to.deep.equal(ids);
  });

  it('forgets a kept call the relay no longer knows', async () => {
    keep('/c2c gone', crypto.randomUUID());
    const el = await mount(html`<mt-click-to-call id="gone" target="sales"></mt-click-to-call>`);
    await waitUntil(() => sessionStorage.getItem('mt-click-to-call:/c2c gone') === null, 'forgotten');
    expect(el.state).to.equal('idle');
  });
});

describe('<mt-click-to-call> after an outcome', () => {
  it('clears the last outcome on a new attempt', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-states/completed"></mt-click-to-call>`);
    await typeNumber(el, freshNumber());
    await pressCall(el);
    await until(el, 'completed');
    expect(text(el, 'status')).to.equal('Call finished. Thank you!');
    await typeNumber(el, '12');
    await pressCall(el);
    expect(text(el, 'error')).to.equal('Check the digits; add the country code if needed.');
    expect(text(el, 'status'), 'no old outcome beside the new error').to.equal('');
    expect(el.state).to.equal('idle');
  });
});

describe('<mt-click-to-call> when the site is set up wrongly', () => {
  for (const [name, endpoint, variables] of [
    ['a target the relay does not know', '/c2c-states/unknown_target', {}],
    ['a relay set up wrongly', '/c2c-states/relay_misconfigured', {}],
    ['a variable the target does not declare', '/c2c', { Undeclared: 'x' }],
  ] as const) {
    it(`tells the visitor calling is not available, and the developer once, for ${name}`, async () => {
      const el = await mount(
        html`<mt-click-to-call endpoint=${endpoint} target="sales" .variables=${variables}></mt-click-to-call>`,
      );
      const said = await warnings(async () => {
        await refused(el);
        part(el, 'button')!.click();
        await until(el, 'error');
      });
      expect(text(el, 'status')).to.equal('Calling is not available right now.');
      expect(part(el, 'retry')).to.be.null;
      expect(said).to.have.length(1);
      expect(said[0]).to.match(
        /^mt-click-to-call: .* refused the call: (unknown_target|relay_misconfigured|invalid_request)/,
      );
    });
  }

  it('says so when the relay refuses this page’s origin, and offers the fallback number', async () => {
    const { origin } = (await (await fetch('/__other')).json()) as { origin: string };
    const el = await mount(
      html`<mt-click-to-call
        endpoint=${`${origin}/c2c`}
        target="sales"
        fallback-tel="+91 80 4600 0100"
      ></mt-click-to-call>`,
    );
    let event;
    const said = await warnings(async () => {
      event = await refused(el);
    });
    expect(event!.code).to.equal('origin_not_allowed');
    expect(text(el, 'status')).to.equal('This page may not place calls.');
    expect(said.join('\n')).to.include(`refuses ${location.origin}`);
    expect(part<HTMLAnchorElement>(el, 'fallback')!.href).to.equal('tel:+918046000100');
    expect(text(el, 'fallback')).to.equal('+91 80 4600 0100');
  });

  it('says the service cannot be reached when it cannot, and offers the fallback number', async () => {
    const el = await mount(
      html`<mt-click-to-call endpoint="http://127.0.0.1:9/c2c" fallback-tel="+91 80 4600 0100"></mt-click-to-call>`,
    );
    expect((await refused(el)).code).to.equal('network');
    expect(text(el, 'status')).to.equal('Could not reach the call service. Are you online?');
    expect(text(el, 'fallback')).to.equal('+91 80 4600 0100');
    expect(part(el, 'retry')).to.exist;
    await expect(el).shadowDom.to.be.accessible();
  });

  it('offers no fallback number for a refusal the visitor can fix', async () => {
    const el = await mount(
      html`<mt-click-to-call endpoint="/c2c-states/invalid_phone" fallback-tel="+91 80 4600 0100"></mt-click-to-call>`,
    );
    await refused(el);
    expect(text(el, 'error')).to.equal('This is not a valid phone number.');
    expect(part(el, 'fallback')).to.be.null;
  });
});

describe('<mt-click-to-call> refusals the visitor can understand', () => {
  it('says when numbers of that country cannot be called, by the field', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-states/country_not_allowed"></mt-click-to-call>`);
    const event = await refused(el, '+1 212 555 0134');
    expect(event.code).to.equal('country_not_allowed');
    expect(event.message).to.equal('We cannot call numbers from this country.');
    expect(text(el, 'error')).to.equal('We cannot call numbers from this country.');
    expect(part(el, 'input')!.getAttribute('aria-invalid')).to.equal('true');
  });

  it('shows Call unavailable while a rate limit holds, and says when to try again', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-limited" target="sales"></mt-click-to-call>`);
    const idle = getComputedStyle(part(el, 'button')!).backgroundColor;
    await refused(el);
    const button = part(el, 'button')!;
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    expect(getComputedStyle(button).backgroundColor, 'looks unavailable').not.to.equal(idle);
    expect(text(el, 'status')).to.equal('Too many calls. Try again in 30 seconds.');
    const retry = part<HTMLButtonElement>(el, 'retry')!;
    expect(retry.disabled).to.be.true;
    expect(getComputedStyle(retry).color, 'a disabled Try again looks disabled').to.equal('rgb(87, 96, 106)');
    const events = recordEvents(el);
    await typeNumber(el, freshNumber());
    await pressCall(el);
    expect(events, 'no request while the limit holds').to.have.length(0);
    expect(text(el, 'status'), 'typing does not hide when').to.equal('Too many calls. Try again in 30 seconds.');
    await expect(el).shadowDom.to.be.accessible();
  });
});

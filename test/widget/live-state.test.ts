import { expect, waitUntil } from '@open-wc/testing';
import type { FinalCallState } from '../../src/protocol/index.js';
import type { MtCallEndEvent, MtCallStateEvent } from '../../src/widget/index.js';
import { TEST_BRIDGE, TEST_WEBHOOK_SECRET } from '../helpers/constants.js';
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

const openStreams = async () => (await (await fetch('/__streams')).json()).open as number;

/** Places a call from a fresh widget and answers it once initiated. */
async function callFrom(endpoint: string, number: string, lang = 'en') {
  const el = await mount(html`<mt-click-to-call endpoint=${endpoint} target="sales" lang=${lang}></mt-click-to-call>`);
  const events = recordEvents(el);
  await typeNumber(el, number);
  await pressCall(el);
  await until(el, 'initiated');
  return { el, events };
}

const OUTCOMES: [string, FinalCallState, string, string][] = [
  ['', 'completed', 'Call finished. Thank you!', 'कॉल पूरी हुई। धन्यवाद!'],
  ['0001', 'busy', 'Your line was busy.', 'आपकी लाइन व्यस्त थी।'],
  ['0002', 'no-answer', 'The call was not answered.', 'कॉल का जवाब नहीं मिला।'],
  ['0003', 'agent-unavailable', 'No one here could take your call.', 'हमारी ओर से कोई उपलब्ध नहीं था।'],
  ['0004', 'unreachable', 'We could not reach your number.', 'आपके नंबर पर संपर्क नहीं हो सका।'],
  ['0005', 'canceled', 'The call was canceled.', 'कॉल रद्द हो गई।'],
];

describe('<mt-click-to-call> following the call live', () => {
  for (const [ending, state, english, hindi] of OUTCOMES) {
    it(`shows ${state} when the sandbox reports it, in English and Hindi`, async () => {
      for (const [lang, sentence] of [
        ['en', english],
        ['hi', hindi],
      ] as const) {
        const { el, events } = await callFrom('/c2c', freshNumber(ending), lang);
        await until(el, state);
        expect(el.getAttribute('state')).to.equal(state);
        expect(text(el, 'status')).to.equal(sentence);
        expect(events.map((e) => e.type)).to.deep.equal([
          'mt-call-request',
          'mt-call-initiated',
          'mt-call-state',
          'mt-call-state',
          'mt-call-end',
        ]);
        const end = events[4] as MtCallEndEvent;
        expect(end.state).to.equal(state);
        expect(end.callId).to.equal(el.callId);
        expect((events[3] as MtCallStateEvent).call.phone).to.match(/^\+91 \d\d•+ •+\d{3}$/);
        expect(part(el, 'retry') !== null, 'retry where it helps').to.equal(state !== 'completed');
        expect(part<HTMLInputElement>(el, 'input')!.readOnly, 'the field is free again').to.be.false;
        expect(el.shadowRoot!.querySelector('[role=timer]')).to.be.null;
        await expect(el).shadowDom.to.be.accessible();
      }
    });
  }

  it('announces each change through the one live region', async () => {
    const el = await mount(html`<mt-click-to-call target="sales"></mt-click-to-call>`);
    const region = part(el, 'status')!;
    const seen: string[] = [];
    new MutationObserver(() => seen.push(region.textContent!.trim())).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    await typeNumber(el, freshNumber('0001'));
    await pressCall(el);
    await until(el, 'busy');
    expect(el.shadowRoot!.querySelectorAll('[role=status]')).to.have.length(1);
    expect(part(el, 'status'), 'the same element throughout').to.equal(region);
    expect(seen.filter(Boolean)).to.deep.equal([
      'Connecting…',
      seen.find((s) => s.startsWith('Calling'))!,
      'Your line was busy.',
    ]);
  });

  it('shows failed when Mobtexting reports something it cannot read as an outcome', async () => {
    const number = freshNumber('0007');
    const { el } = await callFrom('/c2c', number);
    const response = await fetch('/c2c/webhooks/mobtexting', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TEST_WEBHOOK_SECRET}` },
      body: JSON.stringify({
        bridge: Number(TEST_BRIDGE),
        from: Number(`91${number}`),
        to: 918046000100,
        status: 'FAILED',
        status1: 'FAILED',
        status2: '',
      }),
    });
    expect(response.status).to.equal(200);
    await until(el, 'failed');
    expect(text(el, 'status')).to.equal('The call did not go through.');
  });

  it('shows unknown when no report arrives in time', async () => {
    const { el } = await callFrom('/c2c', freshNumber('0007'));
    await fetch('/__clock?advance=7200000');
    try {
      await until(el, 'unknown');
      expect(text(el, 'status')).to.equal('We do not know how the call went.');
      expect(part(el, 'retry')).to.exist;
    } finally {
      await fetch('/__clock?advance=-7200000');
    }
  });

  it('closes its stream at the end', async () => {
    const before = await openStreams();
    const { el } = await callFrom('/c2c', freshNumber());
    await waitUntil(async () => (await openStreams()) > before, 'the stream opened');
    await until(el, 'completed');
    await waitUntil(async () => (await openStreams()) === before, 'the stream closed');
  });

  it('reconnects after the stream drops and still learns the outcome', async () => {
    const { el, events } = await callFrom('/c2c-later', freshNumber('0002'));
    await waitUntil(async () => (await openStreams()) > 0, 'the stream opened');
    await fetch('/__drop');
    await until(el, 'no-answer', 10_000);
    expect(events.filter((e) => e.type === 'mt-call-end')).to.have.length(1);
  });

  it('polls when the relay’s event stream is refused', async () => {
    const number = freshNumber('0004');
    const { el } = await callFrom('/c2c-nosse', number);
    await until(el, 'unreachable', 10_000);
    expect((await sandboxRequests()).filter((r) => r.from === `91${number}`)).to.have.length(1);
  });

  it('stops listening when removed, and picks the call up again when put back', async () => {
    const { el } = await callFrom('/c2c-later', freshNumber('0001'));
    const parent = el.parentElement!;
    await waitUntil(async () => (await openStreams()) > 0, 'the stream opened');
    el.remove();
    await waitUntil(async () => (await openStreams()) === 0, 'the stream closed on removal');
    parent.append(el);
    const ended = nextEvent(el, 'mt-call-end');
    expect((await ended).state).to.equal('busy');
  });
});

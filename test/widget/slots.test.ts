import { expect, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { MtClickToCall } from '../../src/widget/index.js';
import { freshNumber, html, mount, nextEvent, part, pressCall, text, typeNumber, until } from './helpers.js';

// Callback slots against the relay in front of the sandbox: `closed` is closed while the
// tests run and offers slots; `later` is open and offers slots too.

/** The widget's buttons of a part or class, in order. */
const buttons = (el: MtClickToCall, selector: string) => [
  ...el.shadowRoot!.querySelectorAll<HTMLButtonElement>(selector),
];

/** A moment as the widget writes it in English, in the browser's time zone. */
const moment = (at: string) =>
  new Intl.DateTimeFormat('en', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
  }).format(new Date(at));

/** Waits until the picker shows its slots, and answers them. */
async function slotsShown(el: MtClickToCall): Promise<HTMLButtonElement[]> {
  await waitUntil(() => buttons(el, '[part=slot]').length > 0, 'the picker shows slots', { timeout: 5000 });
  return buttons(el, '[part=slot]');
}

/** A widget for `target` that has asked for a call with a fresh number ending in `ending`. */
async function calling(target: string, ending = ''): Promise<MtClickToCall> {
  const el = await mount(html`<mt-click-to-call endpoint="/c2c" target=${target}></mt-click-to-call>`);
  await typeNumber(el, freshNumber(ending));
  await pressCall(el);
  return el;
}

/** Chooses the first slot and books it; answers the `mt-call-scheduled` event. */
async function bookFirst(el: MtClickToCall) {
  const [slot] = await slotsShown(el);
  slot!.click();
  await el.updateComplete;
  const scheduled = nextEvent(el, 'mt-call-scheduled');
  buttons(el, '.book')[0]!.click();
  return { event: await scheduled };
}

describe('<mt-click-to-call> callback slots', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light' }));

  it('says when a closed target opens, and offers its free slots by day, in the visitor’s time zone', async () => {
    const el = await calling('closed');
    await until(el, 'error');
    const slots = await slotsShown(el);
    const availability = await (await fetch('/c2c/targets/closed/availability')).json();
    expect(text(el, 'status')).to.equal(`We are closed right now. We open ${moment(availability.opensAt)}.`);
    const firstDay = availability.slots.filter(
      (slot: { at: string }) => new Date(slot.at).toDateString() === new Date(availability.slots[0].at).toDateString(),
    );
    expect(slots).to.have.length(firstDay.length);
    expect(slots[0]!.textContent!.trim()).to.equal(
      new Date(availability.slots[0].at).toLocaleTimeString('en', { hour: 'numeric', minute: '2-digit' }),
    );
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone === 'Asia/Kolkata') expect(text(el, 'slots')).not.to.include('We are in');
    else expect(text(el, 'slots')).to.include(`Times are in your time zone, ${zone}. We are in Asia/Kolkata.`);
    expect(buttons(el, '.book')[0]!.getAttribute('aria-disabled'), 'nothing chosen yet').to.equal('true');
  });

  it('books the chosen slot: POST /calls with at, mt-call-scheduled, and the booked time with a Cancel', async () => {
    const el = await calling('closed');
    const sent: string[] = [];
    el.addEventListener('mt-call-request', () => sent.push('request'));
    const { event } = await bookFirst(el);
    await until(el, 'scheduled');
    const availability = await (await fetch('/c2c/targets/closed/availability')).json();
    expect(event.callId).to.equal(el.callId);
    expect(new Date(event.at).getTime()).to.be.at.least(new Date(availability.opensAt).getTime());
    expect(sent).to.deep.equal(['request']);
    expect(text(el, 'status')).to.equal(`We will call you ${moment(event.at)}.`);
    expect(part(el, 'slots'), 'the picker is gone').to.be.null;
    const call = await (await fetch(`/c2c/calls/${event.callId}`)).json();
    expect(call).to.include({ state: 'scheduled', at: event.at });
    await expect(el).shadowDom.to.be.accessible();
  });

  it('withdraws a booked callback with Cancel', async () => {
    const el = await calling('closed');
    const { event } = await bookFirst(el);
    await until(el, 'scheduled');
    buttons(el, '.link')[0]!.click();
    await until(el, 'canceled');
    expect(text(el, 'status')).to.equal('The call was canceled.');
    expect((await (await fetch(`/c2c/calls/${event.callId}`)).json()).state).to.equal('canceled');
  });

  it('offers Call me back later after a call no one answered, with the same picker', async () => {
    const el = await calling('later', '0002');
    await until(el, 'no-answer');
    await waitUntil(() => buttons(el, '.link').length > 0, 'Call me back later is offered');
    const later = buttons(el, '.link')[0]!;
    expect(later.textContent!.trim()).to.equal('Call me back later');
    later.click();
    await slotsShown(el);
    expect(text(el, 'status')).to.equal('The call was not answered.');
    const { event } = await bookFirst(el);
    await until(el, 'scheduled');
    expect(event.at).to.be.a('string');
  });

  it('is operable from the keyboard and accessible, also in the dark theme', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c" target="closed" theme="dark"></mt-click-to-call>`);
    await typeNumber(el, freshNumber());
    await pressCall(el);
    const [, second] = await slotsShown(el);
    second!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(second!.getAttribute('aria-pressed')).to.equal('true');
    expect(buttons(el, '.book')[0]!.getAttribute('aria-disabled')).to.equal('false');
    await expect(el).shadowDom.to.be.accessible();
    await emulateMedia({ colorScheme: 'dark' });
    const days = buttons(el, '.choices:first-of-type button');
    if (days.length > 1) {
      days[1]!.focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(days[1]!.getAttribute('aria-pressed')).to.equal('true');
    }
    const book = buttons(el, '.book')[0]!;
    book.focus();
    const scheduled = nextEvent(el, 'mt-call-scheduled');
    await sendKeys({ press: 'Enter' });
    if (days.length > 1) {
      // Another day was shown: its slots are offered, none chosen, so nothing is booked yet.
      expect(el.state).to.equal('error');
      (await slotsShown(el))[0]!.click();
      await el.updateComplete;
      book.click();
    }
    await scheduled;
    await until(el, 'scheduled');
  });

  it('follows a booked callback when it is dialled at its time: scheduled, then initiated, then its outcome', async function () {
    // Two calls, a wait for the next second and a sweep between: on a busy machine more
    // than the default 10 s.
    this.timeout(30_000);
    const el = await calling('later', '0002');
    await until(el, 'no-answer');
    const firstReportedAt = Date.now();
    await waitUntil(() => buttons(el, '.link').length > 0, 'Call me back later is offered');
    buttons(el, '.link')[0]!.click();
    const { event } = await bookFirst(el);
    await until(el, 'scheduled');
    const states: string[] = [];
    el.addEventListener('mt-call-state', (e) => states.push(e.state));
    // Mobtexting's reports tell time to the second and carry no call id: the report of a
    // second call between the same two numbers, started and ended within the same second
    // as the first, is the first's report word for word, and the relay rightly takes it
    // for a repeated delivery. Real calls ring for seconds; the sandbox's take 300 ms, and
    // the relays' clock is about to jump to the slot, so the callback is placed once the
    // first call's second is over.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - (Date.now() - firstReportedAt))));
    const advance = new Date(event.at).getTime() - Date.now() + 1000;
    await fetch(`/__clock?advance=${advance}`);
    try {
      await until(el, 'no-answer', 10_000);
    } finally {
      // The relays' clock goes back, for the tests after this one (their tickets, say).
      await fetch(`/__clock?advance=${-advance}`);
    }
    expect(states).to.deep.equal(['initiated', 'no-answer']);
  });
});

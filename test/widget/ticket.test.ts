import { expect, waitUntil } from '@open-wc/testing';
import type { MtCallRequestEvent } from '../../src/widget/index.js';
import { freshNumber, html, mount, nextEvent, part, sandboxRequests, text, until } from './helpers.js';

/** A ticket signed by the test server, as a CRM's backend would. */
const ticketFor = async (phone: string, label?: string) =>
  (
    await fetch(`/__ticket?to=${encodeURIComponent(phone)}${label ? `&label=${encodeURIComponent(label)}` : ''}`)
  ).text();

describe('<mt-click-to-call ticket>', () => {
  it('is one Call button naming whom it calls, without a number field', async () => {
    const ticket = await ticketFor(`+91 ${freshNumber()}`, 'Asha K.');
    const el = await mount(html`<mt-click-to-call ticket=${ticket}></mt-click-to-call>`);
    expect(part(el, 'input')).to.be.null;
    expect(part(el, 'label')).to.be.null;
    expect(text(el, 'button')).to.equal('Call Asha K.');
    expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('shows the masked number when the ticket has no label, and never the number itself', async () => {
    const number = freshNumber();
    const el = await mount(html`<mt-click-to-call ticket=${await ticketFor(`+91 ${number}`)}></mt-click-to-call>`);
    expect(text(el, 'button')).to.equal(`Call +91 ${number.slice(0, 2)}••• ••${number.slice(-3)}`);
    const everything =
      el.outerHTML + el.shadowRoot!.innerHTML + atob(el.ticket!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'));
    expect(everything).not.to.include(number);
  });

  it('calls through the ticket and follows the call to its end', async () => {
    const number = freshNumber('0001');
    const el = await mount(
      html`<mt-click-to-call ticket=${await ticketFor(`+91 ${number}`, 'Rahul')}></mt-click-to-call>`,
    );
    const requested = nextEvent(el, 'mt-call-request');
    part(el, 'button')!.click();
    const request: MtCallRequestEvent = await requested;
    expect(request.phone).to.be.undefined;
    await until(el, 'initiated');
    expect(text(el, 'status')).to.equal('Calling Rahul now. Please answer.');
    expect(text(el, 'button')).to.equal('Calling…');
    await until(el, 'busy');
    const sent = (await sandboxRequests()).find((r) => r.to === `91${number}`)!;
    expect(sent.from, 'the agent side is rung first').to.equal('918046000100');
  });

  it('says when a ticket can no longer be used, without offering a retry', async () => {
    const ticket = await ticketFor(`+91 ${freshNumber()}`, 'Neha');
    const first = await mount(html`<mt-click-to-call ticket=${ticket}></mt-click-to-call>`);
    part(first, 'button')!.click();
    await until(first, 'initiated');
    const second = await mount(html`<mt-click-to-call ticket=${ticket}></mt-click-to-call>`);
    const refused = nextEvent(second, 'mt-call-error');
    part(second, 'button')!.click();
    expect((await refused).code).to.equal('invalid_ticket');
    await second.updateComplete;
    expect(text(second, 'status')).to.equal('This call button has expired. Reload the page.');
    expect(part(second, 'retry')).to.be.null;
    await expect(second).shadowDom.to.be.accessible();
  });

  it('keeps many ticket buttons in a table apart', async () => {
    const numbers = Array.from({ length: 12 }, (_, i) => freshNumber(i % 3 === 0 ? '0002' : ''));
    const tickets = await Promise.all(numbers.map((n, i) => ticketFor(`+91 ${n}`, `Contact ${i}`)));
    const table = await mount(
      html`<table>
        ${tickets.map(
          (t) =>
            html`<tr>
              <td><mt-click-to-call ticket=${t}></mt-click-to-call></td>
            </tr>`,
        )}
      </table>`,
    );
    const widgets = [...table.closest('table')!.querySelectorAll('mt-click-to-call')];
    expect(widgets).to.have.length(12);
    for (const w of widgets.slice(0, 6)) part(w, 'button')!.click();
    await waitUntil(() => widgets.slice(0, 6).every((w) => w.callId !== undefined), 'every call accepted');
    const open = (await (await fetch('/__streams')).json()).open as number;
    expect(open, 'at most four streams; the other calls poll').to.be.at.most(4);
    for (const [i, w] of widgets.slice(0, 6).entries()) await until(w, i % 3 === 0 ? 'no-answer' : 'completed');
    for (const w of widgets.slice(6)) expect(w.state).to.equal('idle');
    expect(new Set(widgets.slice(0, 6).map((w) => w.callId)).size).to.equal(6);
  });
});

import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { MtCallRequestEvent, MtClickToCall } from '../../src/widget/index.js';
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
    expect(text(el, 'status')).to.equal('Ringing you first, then Rahul.');
    expect(text(el, 'button')).to.equal('Calling…');
    await until(el, 'busy');
    expect(text(el, 'status'), 'the customer’s line, said to the agent').to.equal('Rahul’s line was busy.');
    const sent = (await sandboxRequests()).find((r) => r.to === `91${number}`)!;
    expect(sent.from, 'the agent side is rung first').to.equal('918046000100');
  });

  it('says when a ticket can no longer be used, without offering a retry', async () => {
    const ticket = await ticketFor(`+91 ${freshNumber()}`, 'Neha');
    const first = await mount(html`<mt-click-to-call ticket=${ticket}></mt-click-to-call>`);
    part(first, 'button')!.click();
    await until(first, 'completed'); // one call at a time: the second waits for the first
    const second = await mount(html`<mt-click-to-call ticket=${ticket}></mt-click-to-call>`);
    const refused = nextEvent(second, 'mt-call-error');
    part(second, 'button')!.click();
    expect((await refused).code).to.equal('invalid_ticket');
    await second.updateComplete;
    expect(text(second, 'status')).to.equal('This call button has expired. Reload the page.');
    expect(part(second, 'retry')).to.be.null;
    await expect(second).shadowDom.to.be.accessible();
  });

  it('allows one call at a time on a page: the other buttons say why they are unavailable', async () => {
    const numbers = [freshNumber('0002'), freshNumber(), freshNumber()];
    const tickets = await Promise.all(numbers.map((n, i) => ticketFor(`+91 ${n}`, `Contact ${i}`)));
    const first = await mount(
      html`<table style="--mt-c2c-background: transparent">
        ${tickets.map(
          (t) =>
            html`<tr>
              <td><mt-click-to-call endpoint="/c2c-later" ticket=${t}></mt-click-to-call></td>
            </tr>`,
        )}
      </table>`,
    );
    const widgets = [...first.closest('table')!.querySelectorAll('mt-click-to-call')];
    const [calling, ...others] = widgets as [MtClickToCall, ...MtClickToCall[]];
    part(calling, 'button')!.click();
    await until(calling, 'initiated');
    for (const other of others) {
      await other.updateComplete;
      expect(text(other, 'status')).to.equal('You are on another call.');
      expect(part(other, 'button')!.getAttribute('aria-disabled')).to.equal('true');
      expect(getComputedStyle(part(other, 'button')!).color, 'its label stays readable').to.equal('rgb(87, 96, 106)');
      expect(text(other, 'button')).to.match(/^Call Contact \d$/);
      part(other, 'button')!.click();
      expect(other.state, 'pressing it starts nothing').to.equal('idle');
    }
    await until(calling, 'no-answer');
    await others[0]!.updateComplete;
    expect(text(others[0]!, 'status')).to.equal('');
    part(others[0]!, 'button')!.click();
    await until(others[0]!, 'initiated');
    expect(text(calling, 'status'), 'a finished row keeps its outcome').to.equal('Contact 0 did not answer.');
    expect(part(calling, 'button')!.getAttribute('aria-disabled'), 'but cannot call meanwhile').to.equal('true');
    expect((await sandboxRequests()).filter((r) => numbers.some((n) => r.to === `91${n}`))).to.have.length(2);
  });

  it('tells the agent’s other tabs it is on a call, and hears when they are', async () => {
    const channel = new BroadcastChannel('mt-click-to-call/agent-line');
    const heard: { tab: string; line?: string; busy?: boolean }[] = [];
    const line = new URL('/c2c', location.href).href;
    channel.onmessage = ({ data }) => heard.push(data);
    try {
      const el = await mount(
        html`<mt-click-to-call ticket=${await ticketFor(`+91 ${freshNumber('0007')}`, 'Priya')}></mt-click-to-call>`,
      );
      const other = await mount(
        html`<mt-click-to-call ticket=${await ticketFor(`+91 ${freshNumber()}`, 'Meera')}></mt-click-to-call>`,
      );
      part(el, 'button')!.click();
      await until(el, 'initiated');
      await waitUntil(() => heard.some((m) => m.busy === true && m.line === line), 'the other tabs are told');
      el.remove();
      await waitUntil(() => heard.at(-1)?.busy === false, 'and told when the line is free');

      channel.postMessage({ tab: 'another-tab', line: `${line}-elsewhere`, busy: true }); // another relay's line
      channel.postMessage({ tab: 'another-tab', line, busy: true }); // the agent calls from another tab
      await waitUntil(() => text(other, 'status') === 'You are on another call.', 'unavailable here');
      channel.postMessage({ tab: 'another-tab', line, busy: false });
      await waitUntil(() => text(other, 'status') === '', 'available again');
    } finally {
      channel.close();
    }
  });

  it('keeps the button’s width through the call, so a table does not reflow', async () => {
    const el = await mount(
      html`<div style="display: inline-block">
        <mt-click-to-call
          endpoint="/c2c-later"
          ticket=${await ticketFor(`+91 ${freshNumber('0001')}`, 'Ann')}
        ></mt-click-to-call>
      </div>`,
    );
    const width = () => `${part(el, 'button')!.getBoundingClientRect().width} ${el.getBoundingClientRect().width}`;
    const widths = [width()];
    part(el, 'button')!.click();
    await el.updateComplete;
    widths.push(width());
    await until(el, 'initiated');
    widths.push(width());
    await until(el, 'busy');
    widths.push(width());
    expect(new Set(widths).size, `widths ${widths.join(', ')}`).to.equal(1);
  });

  it('fits a 375 px screen in Hindi', async () => {
    await setViewport({ width: 375, height: 640 });
    try {
      const el = await mount(
        html`<mt-click-to-call
          lang="hi"
          ticket=${await ticketFor(`+91 ${freshNumber()}`, 'Asha (+91 98••• ••258)')}
        ></mt-click-to-call>`,
      );
      expect(text(el, 'button')).to.equal('Asha (+91 98••• ••258) को कॉल करें');
      expect(part(el, 'button')!.getBoundingClientRect().right).to.be.at.most(375);
      expect(document.documentElement.scrollWidth).to.be.at.most(375);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

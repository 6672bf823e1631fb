import { expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { MtClickToCall } from '../../src/widget/index.js';
import { freshNumber, html, mount, part, pressCall, text, typeNumber, until } from './helpers.js';

const dialogOf = (el: MtClickToCall) => part<HTMLDialogElement>(el, 'dialog')!;
const focusedIn = (el: MtClickToCall) => el.shadowRoot!.activeElement;

/** Clicks the dialog's backdrop: the dialog element itself, outside its box. */
function clickBackdrop(el: MtClickToCall): void {
  dialogOf(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: 2, clientY: 2 }));
}

describe('<mt-click-to-call launcher>', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  it('is a round call button fixed in the bottom-right corner, opening the form in a modal dialog', async () => {
    const el = await mount(html`<mt-click-to-call launcher target="sales"></mt-click-to-call>`);
    const button = part(el, 'launcher')!;
    expect(button.getAttribute('aria-label')).to.equal('Request a call');
    expect(button.getAttribute('aria-haspopup')).to.equal('dialog');
    expect(getComputedStyle(button).position).to.equal('fixed');
    const box = button.getBoundingClientRect();
    expect(box.width).to.equal(box.height);
    expect(innerWidth - box.right).to.be.within(8, 24);
    expect(innerHeight - box.bottom).to.be.within(8, 24);
    expect(dialogOf(el).open).to.be.false;
    expect(part(el, 'input')!.checkVisibility(), 'the form waits in the dialog').to.be.false;

    button.click();
    expect(dialogOf(el).matches(':modal')).to.be.true;
    expect(focusedIn(el), 'the focus goes to the field').to.equal(part(el, 'input'));
    expect(text(el, 'dialog')).to.include('We will call you');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('closes on Escape and gives the focus back to its button', async () => {
    const el = await mount(html`<mt-click-to-call launcher></mt-click-to-call>`);
    part(el, 'launcher')!.focus();
    part(el, 'launcher')!.click();
    await sendKeys({ press: 'Escape' });
    expect(dialogOf(el).open).to.be.false;
    expect(focusedIn(el)).to.equal(part(el, 'launcher'));
  });

  it('keeps the focus inside the dialog while it is open: the page behind is inert', async () => {
    const el = await mount(html`<div><a href="#before">Before</a><mt-click-to-call launcher></mt-click-to-call></div>`);
    part(el, 'launcher')!.click();
    el.parentElement!.querySelector('a')!.focus();
    expect(document.activeElement, 'the page’s link cannot take the focus').to.equal(el);
    expect(focusedIn(el)).to.equal(part(el, 'input'));
  });

  it('closes with its close button', async () => {
    const el = await mount(html`<mt-click-to-call launcher></mt-click-to-call>`);
    part(el, 'launcher')!.click();
    expect(part(el, 'cancel')!.getAttribute('aria-label')).to.equal('Close');
    part(el, 'cancel')!.click();
    expect(dialogOf(el).open).to.be.false;
  });

  it('sits in the bottom-left corner with launcher="bottom-left"', async () => {
    const el = await mount(html`<mt-click-to-call launcher="bottom-left"></mt-click-to-call>`);
    expect(part(el, 'launcher')!.getBoundingClientRect().left).to.be.within(8, 24);
  });

  it('opens from the page’s own links and from open(), and gives the focus back to the link', async () => {
    const el = await mount(
      html`<div>
        <a href="#call-us" data-mt-c2c-open>Call us</a>
        <button type="button" data-mt-c2c-open="second">Call the other</button>
        <mt-click-to-call launcher></mt-click-to-call>
        <mt-click-to-call launcher id="second"></mt-click-to-call>
      </div>`,
    );
    const second = el.parentElement!.querySelector<MtClickToCall>('#second')!;
    await second.updateComplete;
    const link = el.parentElement!.querySelector<HTMLAnchorElement>('a')!;
    link.focus();
    link.click();
    await waitUntil(() => dialogOf(el).open, 'the first launcher opens');
    expect(location.hash, 'the link does not navigate').not.to.equal('#call-us');
    expect(dialogOf(second).open).to.be.false;
    el.close();
    expect(document.activeElement, 'the focus is back on the link').to.equal(link);

    el.parentElement!.querySelector<HTMLButtonElement>('[data-mt-c2c-open=second]')!.click();
    await waitUntil(() => dialogOf(second).open, 'the one named opens');
    second.close();
    await el.open();
    expect(dialogOf(el).open).to.be.true;
  });

  it('stays open through the call to show its outcome; the backdrop closes it only when no call is under way', async () => {
    const el = await mount(html`<mt-click-to-call launcher endpoint="/c2c-states/busy"></mt-click-to-call>`);
    await el.open();
    await typeNumber(el, freshNumber());
    await pressCall(el);
    await until(el, 'initiated');
    clickBackdrop(el);
    expect(dialogOf(el).open, 'a click beside it does not hide the call').to.be.true;
    expect(getComputedStyle(part(el, 'launcher')!.querySelector('svg')!).animationName).to.equal('pulse');
    await until(el, 'busy');
    expect(dialogOf(el).open).to.be.true;
    expect(text(el, 'status')).to.equal('Your line was busy.');
    clickBackdrop(el);
    expect(dialogOf(el).open).to.be.false;
  });

  it('is a bottom sheet on a narrow screen', async () => {
    await setViewport({ width: 400, height: 700 });
    const el = await mount(html`<mt-click-to-call launcher consent="I agree to be called"></mt-click-to-call>`);
    await el.open();
    const sheet = dialogOf(el).getBoundingClientRect();
    expect([sheet.left, sheet.right, Math.round(sheet.bottom)]).to.deep.equal([0, 400, 700]);
    await expect(el).shadowDom.to.be.accessible();
  });

  it('at 320 px leaves the page’s last lines clear of its button, and nothing scrolls sideways', async () => {
    await setViewport({ width: 320, height: 480 });
    const el = await mount(
      html`<div>
        ${Array.from({ length: 12 }, (_, i) => html`<p>Line ${i} of the page’s own content, long enough to wrap.</p>`)}
        <p id="last">The page’s last line.</p>
        <mt-click-to-call launcher lang="hi"></mt-click-to-call>
      </div>`,
    );
    document.scrollingElement!.scrollTop = document.scrollingElement!.scrollHeight;
    const last = el.parentElement!.querySelector('#last')!.getBoundingClientRect();
    const button = part(el, 'launcher')!.getBoundingClientRect();
    expect(last.bottom <= button.top || last.top >= button.bottom, 'the last line is not under the button').to.be.true;
    await el.open();
    expect(document.documentElement.scrollWidth).to.be.at.most(320);
    for (const name of ['field', 'button', 'hint', 'cancel'])
      expect(part(el, name)!.getBoundingClientRect().right, name).to.be.at.most(320);
  });
});

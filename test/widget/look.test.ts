import { expect } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import { freshNumber, html, mount, part, pressCall, text, typeNumber, until } from './helpers.js';

const style = (element: Element | null) => getComputedStyle(element!);

/** A page styled like most: white, dark text. */
const lightPage = (widget: ReturnType<typeof html>) =>
  html`<div style="background:#ffffff;color:#16202a;padding:1rem">${widget}</div>`;

describe('<mt-click-to-call> themes', () => {
  afterEach(() => emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' }));

  it('stays light on a light page when the system is dark, and passes axe’s contrast checks there', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const el = await mount(lightPage(html`<mt-click-to-call consent="I agree to be called"></mt-click-to-call>`));
    expect(style(part(el, 'form')).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(style(part(el, 'label')).color).to.equal('rgb(31, 35, 40)');
    await expect(el.parentElement!).to.be.accessible();
    await expect(el).shadowDom.to.be.accessible();
  });

  it('is dark with theme="dark" whatever the system, and accessible', async () => {
    const el = await mount(html`<mt-click-to-call theme="dark"></mt-click-to-call>`);
    expect(style(part(el, 'form')).backgroundColor).to.equal('rgb(22, 27, 34)');
    expect(style(part(el, 'form')).colorScheme).to.equal('dark');
    await expect(el).shadowDom.to.be.accessible();
  });

  it('follows the system with theme="auto"', async () => {
    const el = await mount(html`<mt-click-to-call theme="auto"></mt-click-to-call>`);
    expect(style(part(el, 'form')).backgroundColor).to.equal('rgb(255, 255, 255)');
    await emulateMedia({ colorScheme: 'dark' });
    expect(style(part(el, 'form')).backgroundColor).to.equal('rgb(22, 27, 34)');
    await expect(el).shadowDom.to.be.accessible();
  });
});

describe('<mt-click-to-call> custom properties', () => {
  it('colours the button, focus ring and links separately: a yellow brand leaves both readable', async () => {
    const el = await mount(
      html`<mt-click-to-call
        endpoint="http://127.0.0.1:9/c2c"
        style="--mt-c2c-accent: #ffd400; --mt-c2c-on-accent: #1f2328"
      ></mt-click-to-call>`,
    );
    expect(style(part(el, 'button')).backgroundColor).to.equal('rgb(255, 212, 0)');
    part(el, 'input')!.focus();
    expect(style(part(el, 'field')).outlineColor, 'the ring keeps its own colour').to.equal('rgb(11, 87, 208)');
    await typeNumber(el, freshNumber());
    await pressCall(el);
    await until(el, 'error');
    expect(style(part(el, 'retry')).color, 'Try again keeps the link colour').to.equal('rgb(11, 87, 208)');
    await expect(el).shadowDom.to.be.accessible();
    const themed = await mount(
      html`<mt-click-to-call
        style="--mt-c2c-focus-color: rgb(1, 2, 3); --mt-c2c-link-color: rgb(4, 5, 6)"
      ></mt-click-to-call>`,
    );
    part(themed, 'input')!.focus();
    expect(style(part(themed, 'field')).outlineColor).to.equal('rgb(1, 2, 3)');
  });

  it('rounds the field and the button as asked, and a pill radius does not make the form a pill', async () => {
    const el = await mount(html`<mt-click-to-call style="--mt-c2c-radius: 999px"></mt-click-to-call>`);
    expect(style(part(el, 'field')).borderTopLeftRadius).to.equal('999px');
    expect(style(part(el, 'button')).borderTopLeftRadius).to.equal('999px');
    expect(style(part(el, 'form')).borderTopLeftRadius).to.equal('16px');
    const apart = await mount(
      html`<mt-click-to-call style="--mt-c2c-field-radius: 2px; --mt-c2c-button-radius: 20px"></mt-click-to-call>`,
    );
    expect(style(part(apart, 'field')).borderTopLeftRadius).to.equal('2px');
    expect(style(part(apart, 'button')).borderTopLeftRadius).to.equal('20px');
  });

  it('takes ::part rules, per state too', async () => {
    const el = await mount(
      html`<div>
        <style>
          .themed::part(label) {
            text-transform: uppercase;
          }
          .themed[state='idle']::part(field) {
            border-color: rgb(200, 0, 100);
          }
        </style>
        <mt-click-to-call class="themed"></mt-click-to-call>
      </div>`,
    );
    expect(style(part(el, 'label')).textTransform).to.equal('uppercase');
    expect(style(part(el, 'field')).borderTopColor).to.equal('rgb(200, 0, 100)');
  });
});

describe('<mt-click-to-call> motion and states', () => {
  afterEach(() => emulateMedia({ reducedMotion: 'no-preference' }));

  it('spins while asking and pulses while ringing, the Call button outlined, then idle again', async () => {
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-states/initiated"></mt-click-to-call>`);
    const idle = style(part(el, 'button')).backgroundColor;
    await typeNumber(el, freshNumber());
    await pressCall(el);
    expect(el.state).to.equal('submitting');
    const spinner = part(el, 'spinner')!;
    expect(style(spinner).visibility).to.equal('visible');
    expect(style(spinner).animationName).to.equal('spin');
    expect(style(part(el, 'button')).backgroundColor, 'busy looks unlike idle').not.to.equal(idle);
    await until(el, 'initiated');
    expect(style(part(el, 'spinner')).visibility, 'the spinner goes').to.equal('hidden');
    const ringing = part(el, 'status')!.querySelector('[part~=icon]')!;
    expect(style(ringing).animationName).to.equal('pulse');
  });

  it('keeps still under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    const el = await mount(html`<mt-click-to-call endpoint="/c2c-states/initiated"></mt-click-to-call>`);
    await typeNumber(el, freshNumber());
    await pressCall(el);
    expect(style(part(el, 'spinner')).animationName).to.equal('none');
    await until(el, 'initiated');
    expect(style(part(el, 'status')!.querySelector('[part~=icon]')).animationName).to.equal('none');
  });

  it('shows a disabled Call button unlike an idle one', async () => {
    const idle = await mount(html`<mt-click-to-call></mt-click-to-call>`);
    const disabled = await mount(html`<mt-click-to-call disabled></mt-click-to-call>`);
    expect(style(part(disabled, 'button')).backgroundColor).not.to.equal(style(part(idle, 'button')).backgroundColor);
    expect(style(part(disabled, 'button')).cursor).to.equal('not-allowed');
  });

  it('keeps the form’s height as messages come and go', async () => {
    const el = await mount(
      html`<div style="width: 400px"><mt-click-to-call endpoint="/c2c-states/busy"></mt-click-to-call></div>`,
    );
    const height = () => part(el, 'form')!.getBoundingClientRect().height;
    const heights = [height()];
    await typeNumber(el, freshNumber());
    await pressCall(el);
    heights.push(height());
    await until(el, 'initiated');
    heights.push(height());
    await until(el, 'busy');
    expect(text(el, 'retry')).to.equal('Try again');
    heights.push(height());
    expect(new Set(heights).size, `heights ${heights.join(', ')}`).to.equal(1);
  });
});

describe('<mt-click-to-call> on small screens', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const lang of ['en', 'hi', 'ta']) {
    it(`fits 320 px with nothing scrolling sideways, in ${lang}, with a long consent and an error`, async () => {
      await setViewport({ width: 320, height: 640 });
      const el = await mount(
        html`<mt-click-to-call
          lang=${lang}
          consent="I agree to be called by Sunrise Solar about my enquiry, at the number above"
          fallback-tel="+91 80 4600 0100"
          endpoint="http://127.0.0.1:9/c2c"
        ></mt-click-to-call>`,
      );
      await typeNumber(el, '+91 98765 43210 1234567');
      await pressCall(el);
      expect(part(el, 'error')).to.exist;
      for (const name of ['field', 'input', 'button', 'consent', 'hint', 'error']) {
        expect(part(el, name)!.getBoundingClientRect().right, name).to.be.at.most(320);
      }
      expect(document.documentElement.scrollWidth).to.be.at.most(320);
    });
  }
});

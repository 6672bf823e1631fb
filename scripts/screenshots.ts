// `npm run screenshots`: starts the demo and saves a picture of each page to
// docs/screenshots/ (the README shows them). Needs a build (`npm run build`) first.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/helpers/browser.js';
import { ROOT, spawnRelay } from '../test/helpers/process.js';

const out = join(ROOT, 'docs/screenshots');

/** The operator's console on the demo's week of sample calls, its charts in view. */
async function consoleScreenshot(): Promise<void> {
  const demo = await spawnRelay('demo/server.ts', { DEMO_SAMPLE_HISTORY: '1' });
  try {
    const token = /token: (\S+)/.exec(demo.stderr.find((line) => line.includes('operator console')) ?? '')?.[1];
    if (!token) throw new Error('the demo printed no console token');
    const page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, deviceScaleFactor: 1 });
    await page.goto(`${demo.origin.replace('127.0.0.1', 'localhost')}/c2c/console`);
    const app = page.locator('mt-console');
    await app.getByLabel('Console token').fill(token);
    await app.getByRole('button', { name: 'Sign in' }).click();
    await app.getByRole('button', { name: 'Charts' }).click();
    await app.locator('mt-console-charts canvas').first().waitFor();
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(out, 'console.png') });
    await page.close();
  } finally {
    await demo.stop();
  }
}
mkdirSync(out, { recursive: true });
const server = await spawnRelay('demo/server.ts', { MT_SANDBOX_DELAY_MS: '1500' });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 720 }, deviceScaleFactor: 1 });
  const state = (n = 0) =>
    page.evaluate((i) => document.querySelectorAll('mt-click-to-call')[i]?.getAttribute('state'), n);
  const waitForState = (s: string, n = 0) =>
    page
      .waitForFunction(
        ([want, i]) => document.querySelectorAll('mt-click-to-call')[i as number]?.getAttribute('state') === want,
        [s, n] as const,
        { timeout: 10_000 },
      )
      .catch(async (err: Error) => {
        throw new Error(`${err.message}: widget ${n} is ${await state(n)}, not ${s}`);
      });

  await page.goto(`${server.origin}/`);
  // The page's widgets: the installers' (closed now) first, the launcher second.
  const widget = page.locator('mt-click-to-call[launcher]');
  await page.getByRole('link', { name: 'Talk to an adviser' }).click();
  await widget.locator('input[type=tel]').fill('98765 43210');
  await widget.locator('input[type=checkbox]').check();
  await widget.locator('[part=button]').click();
  await waitForState('initiated', 1);
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(out, 'landing.png') });
  await waitForState('completed', 1);
  console.log(`landing: ${await state(1)}`);

  await page.goto(`${server.origin}/`);
  const installers = page.locator('mt-click-to-call[target=after-hours]');
  await installers.locator('input[type=tel]').fill('98765 43219');
  await installers.locator('[part=button]').click();
  await installers.locator('[part=slot]').nth(2).click();
  await installers.locator('[part=slot]').nth(2).blur();
  await page.locator('section.installers').screenshot({ path: join(out, 'slots.png') });
  console.log('slots: the picker of a closed target');

  await page.goto(`${server.origin}/verify.html`);
  const verifying = page.locator('mt-click-to-call');
  await verifying.locator('input[type=tel]').fill('98765 43218');
  await verifying.locator('[part=button]').click();
  await page.waitForFunction(() => /\d/.test(document.querySelector('output.spoken')?.textContent ?? ''));
  await page.locator('main').screenshot({ path: join(out, 'verify.png') });
  console.log('verify: the code entry beside the simulated call');

  await page.goto(`${server.origin}/crm.html`);
  await page.waitForSelector('mt-click-to-call[ticket]');
  const callButton = (row: number) => page.locator('mt-click-to-call').nth(row).locator('[part=button]');
  await callButton(0).click();
  await waitForState('completed', 0);
  await callButton(1).click();
  await waitForState('busy', 1);
  await callButton(2).click();
  await waitForState('initiated', 2);
  await page.screenshot({ path: join(out, 'crm.png'), fullPage: true });

  for (const lang of ['en', 'hi']) {
    await page.goto(`${server.origin}/gallery.html?lang=${lang}`);
    await page.waitForTimeout(3500);
    await page.screenshot({ path: join(out, lang === 'en' ? 'gallery.png' : `gallery-${lang}.png`), fullPage: true });
  }
  await consoleScreenshot();
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await server.stop();
}

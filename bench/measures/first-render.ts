import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { launchChromium } from '../../test/helpers/browser.js';
import { percentile, ROOT, round, type Row } from '../lib.js';
import { buildFloor } from './widget-weight.js';

const RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 15);

/** A page that notes the time before the script tag and once the element has rendered. */
const page = (
  script: string,
  tag: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script>window.t0 = performance.now();</script>
<script src="/${script}"></script></head><body>
<${tag}></${tag}>
<script>
  customElements.whenDefined('${tag}').then(() => document.querySelector('${tag}').updateComplete).then(() => {
    if (!document.querySelector('${tag}').shadowRoot.querySelector('button')) throw new Error('not rendered');
    window.t1 = performance.now();
  });
</script></body></html>`;

/**
 * First render: in headless Chromium, the time from the script tag to a rendered,
 * interactive element, for the widget and for a bare Lit element built the same way.
 */
export async function firstRender(): Promise<Row[]> {
  const files: Record<string, [string, string]> = {
    '/widget.html': ['text/html', page('mt-click-to-call.js', 'mt-click-to-call')],
    '/bare.html': ['text/html', page('bare.js', 'bare-element')],
    '/mt-click-to-call.js': ['text/javascript', readFileSync(join(ROOT, 'dist/cdn/mt-click-to-call.js'), 'utf8')],
    '/bare.js': ['text/javascript', readFileSync(await buildFloor(), 'utf8')],
  };
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': file[0], 'Cache-Control': 'no-store' }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launchChromium();
  try {
    const time = async (path: string) => {
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const tab = await browser.newPage();
        await tab.goto(`${origin}${path}`);
        await tab.waitForFunction(() => (window as unknown as { t1?: number }).t1 !== undefined);
        samples.push(
          await tab.evaluate(
            () => (window as unknown as { t1: number; t0: number }).t1 - (window as unknown as { t0: number }).t0,
          ),
        );
        await tab.close();
      }
      return percentile(samples, 50);
    };
    await time('/bare.html'); // warm the browser up
    const bare = await time('/bare.html');
    const widget = await time('/widget.html');
    return [
      {
        measure: 'first render: script tag → interactive, median',
        value: round(widget),
        unit: 'ms',
        baseline: round(bare),
        ratio: round(widget / bare),
      },
    ];
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

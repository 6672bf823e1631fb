import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../helpers/process.js';

const cdn = readFileSync(join(ROOT, 'dist/cdn/mt-click-to-call.js'), 'utf8');

describe('the browser builds', () => {
  it('keep zod, libphonenumber-js, Hono and relay code out of the script-tag bundle', () => {
    const map = JSON.parse(readFileSync(join(ROOT, 'dist/cdn/mt-click-to-call.js.map'), 'utf8')) as {
      sources: string[];
    };
    const sources = map.sources.map((s) => s.replace(/^.*node_modules\//, 'node_modules/'));
    assert.ok(
      sources.some((s) => s.includes('src/widget/')),
      'the map lists the widget',
    );
    for (const forbidden of ['zod', 'libphonenumber-js', 'hono', 'src/relay', 'src/sandbox']) {
      assert.deepEqual(
        sources.filter((s) => s.includes(forbidden)),
        [],
        forbidden,
      );
    }
    for (const marker of ['ZodError', 'libphonenumber', 'voice/c2c', 'Bearer'])
      assert.ok(!cdn.includes(marker), marker);
  });

  it('keep the npm widget modules free of relay imports', () => {
    const dir = join(ROOT, 'dist/widget');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    assert.ok(files.includes('launcher/launcher.js'), 'chunks are modules of their own');
    for (const file of files) {
      const code = readFileSync(join(dir, file), 'utf8');
      for (const match of code.matchAll(/(?:from\s+|import\()'([^']+)'/g)) {
        const spec = match[1]!;
        const target = spec.startsWith('.') ? relative(dir, join(dir, dirname(file), spec)) : spec;
        assert.ok(
          !target.startsWith('..') || target.startsWith('../protocol/') || spec.startsWith('lit'),
          `${file} imports ${spec}`,
        );
        assert.ok(spec.startsWith('.') || spec.startsWith('lit'), `${file} imports ${spec}`);
      }
    }
  });

  it('defines nothing on importing the class, only through the define entry', () => {
    const index = readFileSync(join(ROOT, 'dist/widget/index.js'), 'utf8');
    const component = readFileSync(join(ROOT, 'dist/widget/mt-click-to-call.component.js'), 'utf8');
    assert.ok(!/customElements\.define/.test(index + component));
    assert.match(
      readFileSync(join(ROOT, 'dist/widget/define.js'), 'utf8'),
      /customElements\.define\('mt-click-to-call'/,
    );
  });

  it('is a single minified script that defines the element', () => {
    assert.ok(!/^\s*(import|export)\s/m.test(cdn), 'no module syntax: loads with a plain <script src>');
    assert.match(cdn, /customElements\.define\(`mt-click-to-call`|customElements\.define\("mt-click-to-call"/);
    assert.ok(gzipSync(cdn).length < 16 * 1024, 'small (the benchmark tracks the exact size)');
  });

  it('puts each chunk beside the core as a classic script that takes Lit from the core', () => {
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const chunks = readdirSync(join(ROOT, 'dist/cdn')).filter((f) => /^mt-click-to-call\..+\.js$/.test(f));
    assert.deepEqual(chunks.sort(), [
      'mt-click-to-call.consent.js',
      'mt-click-to-call.countries.js',
      'mt-click-to-call.crm.js',
      'mt-click-to-call.lang-bn.js',
      'mt-click-to-call.lang-hi.js',
      'mt-click-to-call.lang-mr.js',
      'mt-click-to-call.lang-ta.js',
      'mt-click-to-call.lang-te.js',
      'mt-click-to-call.launcher.js',
      'mt-click-to-call.recovery.js',
      'mt-click-to-call.slots.js',
      'mt-click-to-call.theme-dark.js',
      'mt-click-to-call.verify.js',
    ]);
    for (const chunk of chunks) {
      const code = readFileSync(join(ROOT, 'dist/cdn', chunk), 'utf8');
      assert.ok(!/^\s*(import|export)\s/m.test(code), `${chunk}: no module syntax`);
      assert.ok(code.includes(`Symbol.for(\`mt-click-to-call/${version}\`)`), `${chunk}: finds the core of its build`);
      for (const lit of ['litHtmlVersions', 'reactiveElementVersions', 'createTreeWalker'])
        assert.ok(!code.includes(lit), `${chunk} carries no copy of Lit (${lit})`);
      assert.ok(!cdn.includes(code.slice(200, 260)), `${chunk} is not in the core`);
    }
  });

  it('ship a custom elements manifest with every part, property and event', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'dist/custom-elements.json'), 'utf8'));
    const element = manifest.modules
      .flatMap((m: { declarations: unknown[] }) => m.declarations)
      .find((d: { tagName?: string }) => d.tagName === 'mt-click-to-call');
    const names = (list: { name: string }[]) => list.map((x) => x.name).sort();
    assert.deepEqual(names(element.cssParts), [
      'button',
      'cancel',
      'code',
      'consent',
      'country',
      'dialog',
      'error',
      'fallback',
      'field',
      'form',
      'hint',
      'icon',
      'input',
      'label',
      'launcher',
      'retry',
      'slot',
      'slots',
      'spinner',
      'status',
    ]);
    assert.deepEqual(names(element.events), [
      'mt-call-end',
      'mt-call-error',
      'mt-call-initiated',
      'mt-call-request',
      'mt-call-scheduled',
      'mt-call-state',
      'mt-verified',
    ]);
    assert.ok(element.cssProperties.every((p: { name: string }) => p.name.startsWith('--mt-c2c-')));
    assert.deepEqual(names(element.attributes), [
      'button-label',
      'consent',
      'country',
      'disabled',
      'endpoint',
      'fallback-tel',
      'label',
      'lang',
      'launcher',
      'phone',
      'state',
      'target',
      'theme',
      'ticket',
      'verify',
    ]);
  });
});

describe('the npm package', () => {
  const files: string[] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
  )[0].files.map((f: { path: string }) => f.path);
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

  it('holds only what a user needs', () => {
    const tops = [
      ...new Set(files.map((f) => (f.startsWith('dist/') ? f.split('/').slice(0, 2).join('/') : f))),
    ].sort();
    assert.deepEqual(tops, [
      'LICENSE',
      'README.md',
      'bin/mt-c2c-relay.js',
      'dist/cdn',
      'dist/console',
      'dist/custom-elements.json',
      'dist/protocol',
      'dist/relay',
      'dist/sandbox',
      'dist/server',
      'dist/widget',
      'dist/workers',
      'package.json',
    ]);
  });

  it('ships every file its exports, types and bin name', () => {
    const targets: string[] = [];
    for (const value of Object.values(manifest.exports as Record<string, string | Record<string, string>>)) {
      targets.push(...(typeof value === 'string' ? [value] : Object.values(value)));
    }
    targets.push(manifest.bin['mt-c2c-relay'], manifest.customElements);
    for (const target of targets) assert.ok(files.includes(target.replace(/^\.\//, '')), target);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ROOT, round, type Row } from '../lib.js';

const KIB = 1024;
const GOAL_CORE_BYTES = 12 * KIB;
const GOAL_LAUNCHER_BYTES = 18 * KIB;
const GOAL_EVERYTHING_BYTES = 40 * KIB;

/** gzip -9 and brotli -11 sizes of a file's bytes. */
function compressed(bytes: Buffer): { gzip: number; brotli: number } {
  return {
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Builds the bare Lit element the way the widget's bundle is built: its floor. */
export async function buildFloor(): Promise<string> {
  const outDir = join(ROOT, 'bench/.out/floor');
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: {
      outDir,
      emptyOutDir: true,
      sourcemap: false,
      lib: {
        entry: join(ROOT, 'bench/fixtures/bare-element.ts'),
        name: 'Bare',
        formats: ['iife'],
        fileName: () => 'bare.js',
      },
    },
  });
  return join(outDir, 'bare.js');
}

/** The script-tag build's files: the core, and each chunk beside it. */
function cdnFiles(): { core: Buffer; chunks: [name: string, bytes: Buffer][] } {
  const dir = join(ROOT, 'dist/cdn');
  const chunks = readdirSync(dir)
    .map((file) => /^mt-click-to-call\.(.+)\.js$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort()
    .map((name): [string, Buffer] => [name, readFileSync(join(dir, `mt-click-to-call.${name}.js`))]);
  return { core: readFileSync(join(dir, 'mt-click-to-call.js')), chunks };
}

const kib = (bytes: number) => round(bytes / KIB);

/**
 * Widget weight: the script-tag core's compressed size, next to a bare Lit element built
 * the same way (what any Lit widget costs at least); each chunk; what a page that opens
 * the launcher downloads; and everything.
 */
export async function widgetWeight(): Promise<Row[]> {
  const { core, chunks } = cdnFiles();
  const widget = compressed(core);
  const floor = compressed(readFileSync(await buildFloor()));
  const sizes = new Map(chunks.map(([name, bytes]) => [name, compressed(bytes).gzip]));
  const launcherPath = widget.gzip + (sizes.get('launcher') ?? NaN);
  const everything = widget.gzip + [...sizes.values()].reduce((sum, size) => sum + size, 0);
  return [
    {
      measure: 'script-tag core, gzip -9',
      value: kib(widget.gzip),
      unit: 'KiB',
      baseline: kib(floor.gzip),
      ratio: round(widget.gzip / floor.gzip),
      goal: '≤ 12 KiB',
      met: widget.gzip <= GOAL_CORE_BYTES,
    },
    {
      measure: 'script-tag core, brotli',
      value: kib(widget.brotli),
      unit: 'KiB',
      baseline: kib(floor.brotli),
      ratio: round(widget.brotli / floor.brotli),
    },
    {
      measure: 'widget’s own code in the core, gzip (core less floor)',
      value: kib(widget.gzip - floor.gzip),
      unit: 'KiB',
    },
    ...[...sizes].map(([name, gzip]) => ({ measure: `chunk ${name}, gzip -9`, value: kib(gzip), unit: 'KiB' })),
    {
      measure: 'a page that opens the launcher: core + launcher, gzip',
      value: kib(launcherPath),
      unit: 'KiB',
      goal: '≤ 18 KiB',
      met: launcherPath <= GOAL_LAUNCHER_BYTES,
    },
    {
      measure: 'everything: core + every chunk, gzip',
      value: kib(everything),
      unit: 'KiB',
      goal: '≤ 40 KiB',
      met: everything <= GOAL_EVERYTHING_BYTES,
    },
  ];
}

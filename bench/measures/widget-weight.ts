import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'vite';
import { ROOT, round, type Row } from '../lib.js';

const KIB = 1024;
const GOAL_GZIP_BYTES = 12 * KIB;

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

/**
 * Widget weight: the script-tag bundle's compressed size, next to a bare Lit element built
 * the same way (what any Lit widget costs at least).
 */
export async function widgetWeight(): Promise<Row[]> {
  const widget = compressed(readFileSync(join(ROOT, 'dist/cdn/mt-click-to-call.js')));
  const floor = compressed(readFileSync(await buildFloor()));
  return [
    {
      measure: 'script-tag bundle, gzip -9',
      value: round(widget.gzip / KIB),
      unit: 'KiB',
      baseline: round(floor.gzip / KIB),
      ratio: round(widget.gzip / floor.gzip),
      goal: '≤ 12 KiB',
      met: widget.gzip <= GOAL_GZIP_BYTES,
    },
    {
      measure: 'script-tag bundle, brotli',
      value: round(widget.brotli / KIB),
      unit: 'KiB',
      baseline: round(floor.brotli / KIB),
      ratio: round(widget.brotli / floor.brotli),
    },
    {
      measure: 'widget’s own code, gzip (bundle less floor)',
      value: round((widget.gzip - floor.gzip) / KIB),
      unit: 'KiB',
    },
  ];
}

import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/process.js';

describe('the relay’s core', () => {
  it('bundles for a browser or a Worker: nothing from node:* and nothing from the Node server', async () => {
    const result = await build({
      entryPoints: [`${ROOT}src/relay/index.ts`],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((path) => path.endsWith('src/relay/create-relay.ts')));
    assert.deepEqual(
      inputs.filter((path) => path.startsWith('node:') || path.includes('src/relay/node/')),
      [],
    );
    assert.doesNotMatch(result.outputFiles[0]!.text, /from\s*["']node:/);
  });
});

// `npm test`: lints, type-checks, builds, then runs every test: Node tests (relay, sandbox,
// end to end) and browser tests (the widget, in Chromium). Stops at the first failure.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from './system-tools.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Test files under `dir`, recursively. */
function testFiles(dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

const env = { ...process.env, CHROME_PATH: requireTool('chromium'), REDIS_SERVER: requireTool('redis') };
const nodeTests = ['test/relay', 'test/sandbox', 'test/e2e', 'test/workers'].flatMap(testFiles);
const steps = [
  ['lint', 'npm', ['run', '--silent', 'lint']],
  ['type-check', bin('tsc'), ['-p', 'tsconfig.json']],
  ['build', 'npm', ['run', '--silent', 'build']],
  [
    'node tests',
    process.execPath,
    ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=dot', ...nodeTests],
  ],
  [
    'browser tests',
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'node_modules/@web/test-runner/dist/bin.js'),
      '--config',
      'web-test-runner.config.mjs',
    ],
  ],
];

for (const [name, command, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

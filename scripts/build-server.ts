// `npm run build:server`: the ready server `mt-c2c-relay` as one minified ES module (with
// a chunk for each part only one mode loads: the sandbox, a store), dist/server/. Node then
// reads a few files instead of the several hundred the relay's libraries are made of,
// which is most of what starting it used to cost. The native SQLite module stays a
// package Node loads itself, and so does the Redis client, which only a Redis store needs.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const OUT = 'dist/server';

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { 'mt-c2c-relay': 'src/relay/node/cli.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  external: ['better-sqlite3', '@redis/client'],
  // Some of the libraries are CommonJS and call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __mtRequire } from 'node:module'; const require = __mtRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

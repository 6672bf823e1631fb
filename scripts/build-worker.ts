// `npm run build:worker`: the relay on Cloudflare Workers as one ES module Worker script,
// dist/workers/worker.js: the front handler as its default export and the Durable Object
// class RelayObject, everything bundled but the runtime's own `cloudflare:workers`.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/relay/workers/index.ts'],
  outfile: 'dist/workers/worker.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Packages as a Worker bundler resolves them (wrangler's conditions).
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
  external: ['cloudflare:workers'],
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});

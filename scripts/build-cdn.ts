// `npm run build:cdn`: the script-tag build. The core, dist/cdn/mt-click-to-call.js, with
// vite.config.ts; then each chunk src/widget/chunks.ts lists, as
// dist/cdn/mt-click-to-call.<name>.js beside it, taking Lit from the core.
import { build } from 'vite';
import { CHUNK_ENTRY, chunkBuild, chunkEntries, DEFINE } from './cdn-plugins.js';
import { minifyLiterals } from './minify-literals.js';

await build({ configFile: 'vite.config.ts', logLevel: 'warn' });
for (const chunk of chunkEntries()) {
  await build({
    configFile: false,
    logLevel: 'warn',
    plugins: [chunkBuild(chunk), minifyLiterals()],
    define: DEFINE,
    build: {
      outDir: 'dist/cdn',
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      lib: {
        entry: CHUNK_ENTRY,
        name: 'MtClickToCallChunk',
        formats: ['iife'],
        fileName: () => `mt-click-to-call.${chunk.name}.js`,
      },
    },
  });
}

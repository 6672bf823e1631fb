import { defineConfig } from 'vite';
import { cdnChunkLoader, DEFINE } from './scripts/cdn-plugins.js';
import { minifyLiterals } from './scripts/minify-literals.js';

// The script-tag bundle's core: one minified file, Lit included, that defines
// <mt-click-to-call> when loaded by a plain <script src>. `npm run build:cdn`
// (scripts/build-cdn.ts) builds it with this configuration, then each chunk beside it.
export default defineConfig({
  plugins: [minifyLiterals(), cdnChunkLoader()],
  define: DEFINE,
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    lib: {
      entry: 'src/widget/cdn.ts',
      name: 'MtClickToCall',
      formats: ['iife'],
      fileName: () => 'mt-click-to-call.js',
    },
  },
});

import { defineConfig } from 'vite';
import { minifyLiterals } from './scripts/minify-literals.js';

// The script-tag bundle: one minified file, Lit included, that defines
// <mt-click-to-call> when loaded by a plain <script src>.
export default defineConfig({
  plugins: [minifyLiterals()],
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

import { defineConfig } from 'vite';

// The script-tag bundle: one minified file, Lit included, that defines
// <mt-click-to-call> when loaded by a plain <script src>.
export default defineConfig({
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: true,
    target: 'es2021',
    sourcemap: true,
    lib: {
      entry: 'src/widget/define.ts',
      name: 'MtClickToCall',
      formats: ['iife'],
      fileName: () => 'mt-click-to-call.js',
    },
  },
});
